using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary>The reduce errors, in one place so their messages stay consistent.</summary>
public static class ReduceErrors
{
    /// <summary>A stitching operation met a result that is not an exposure (the reference's TypeError).</summary>
    public static ReduceException ExpectedExposure(int cellIndex, ReduceOperation operation, object? result) => new(
        $"Cell {cellIndex}: reduceOperation '{Name(operation)}' stitches sub-exposures, but the mapper returned {Describe(result)}. " +
        "Consider using `reduceOperation: none` to get the mapper results as they are.", cellIndex);

    /// <summary>A <c>coaddPsf</c> input that carries no PSF.</summary>
    public static ReduceException ExpectedPsf(int cellIndex, object? result) => new(
        $"Cell {cellIndex}: reduceOperation 'coaddPsf' needs a PSF with its box (a PsfResult, or an ExposureResult whose exposure has a PSF), " +
        $"but the mapper returned {Describe(result)}.", cellIndex);

    /// <summary>Some results of a <c>sum</c>/<c>average</c> carry a PSF and others do not, so no combined PSF can be built.</summary>
    public static ReduceException MissingPsf(int cellIndex, bool cellHasPsf) => new(
        $"Cell {cellIndex}: its sub-exposure {(cellHasPsf ? "has" : "has no")} PSF while an earlier cell's {(cellHasPsf ? "had none" : "had one")}; " +
        "the combined PSF of sum/average needs a PSF on every result (or on none).", cellIndex);

    /// <summary>A result whose WCS is not the exposure's (the reference's CoaddPsf check).</summary>
    public static ReduceException DifferentWcs(int cellIndex) => new(
        $"Cell {cellIndex}: the WCS of the returned sub-exposure differs from the exposure's; a combined PSF needs one shared WCS.", cellIndex);

    /// <summary>A result box that is not inside the exposure (the reference's LengthError).</summary>
    public static ReduceException OutsideExposure(int cellIndex, Box resultBox, Box exposureBox) => new(
        $"Cell {cellIndex}: the returned sub-exposure covers {resultBox}, which is not inside the exposure's {exposureBox}.", cellIndex);

    /// <summary>The cell and expanded-cell lists differ in length.</summary>
    public static ReduceException MismatchedBoxLists(int cells, int expandedCells) => new(
        $"Bounding boxes list and expanded bounding boxes list are of different lengths ({cells} cells, {expandedCells} expanded cells).",
        errorClass: ErrorClass.Internal, errorCode: ErrorCodes.ReduceOrder);

    /// <summary>A grid box that is empty or not inside the exposure.</summary>
    public static ReduceException CellOutsideExposure(int cellIndex, Box box, Box exposureBox) => new(
        $"Cell {cellIndex}: its box {box} is empty or not inside the exposure's {exposureBox}; grid boxes must be clipped to the exposure.", cellIndex,
        ErrorClass.Internal, ErrorCodes.ReduceOrder);

    /// <summary>Results were added out of cell order.</summary>
    public static ReduceException OutOfOrder(int cellIndex, int expected) => new(
        $"Cell {cellIndex} was added where cell {expected} was expected; results must be reduced in cell order for a deterministic output.", cellIndex,
        ErrorClass.Internal, ErrorCodes.ReduceOrder);

    /// <summary>The input given again to an in-place run that had to restart covers another box than the first (the file changed under the run).</summary>
    public static ReduceException ReadAgainMismatch(Box first, Box again) => new(
        $"The input was read again to restart the run and now covers {again}, not {first}: it changed during the run.",
        errorClass: ErrorClass.Conflict, errorCode: ErrorCodes.InputChanged);

    private static string Name(ReduceOperation op) => op.Name;

    private static string Describe(object? result) => result switch
    {
        null => "null",
        Mapping.ValueResult v => $"a value of type {v.Value?.GetType().Name ?? "null"}",
        _ => $"a {result.GetType().Name}",
    };
}
