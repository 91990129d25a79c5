namespace ImageReducer.Engine.Errors;

/// <summary>
/// The error codes that are not FITS error categories (those are the names of <see cref="Fits.FitsErrorCategory"/>),
/// in one place; docs/errors.md lists each with its class.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A configuration field is missing, unknown or out of range (<see cref="ErrorClass.Caller"/>).</summary>
    public const string InvalidConfig = "InvalidConfig";
    /// <summary>A command-line option or argument is wrong (<see cref="ErrorClass.Caller"/>).</summary>
    public const string Usage = "Usage";
    /// <summary>The grid has more cells than allowed (<see cref="ErrorClass.Caller"/>).</summary>
    public const string MaxCells = "MaxCells";
    /// <summary>The tile size cuts the exposure into more tiles than allowed (<see cref="ErrorClass.Caller"/>).</summary>
    public const string MaxTiles = "MaxTiles";
    /// <summary>The tile size is not a positive number of rows (<see cref="ErrorClass.Caller"/>).</summary>
    public const string TileSize = "TileSize";
    /// <summary><c>forceEvenSized</c> cannot make a box even-sized (<see cref="ErrorClass.Caller"/>).</summary>
    public const string OddBox = "OddBox";
    /// <summary>The mapper's results do not fit the reduce operation (<see cref="ErrorClass.Caller"/>).</summary>
    public const string ReduceMismatch = "ReduceMismatch";
    /// <summary>A blob address is outside what the deployment allows (<see cref="ErrorClass.Caller"/>).</summary>
    public const string AccessRefused = "AccessRefused";
    /// <summary>The remote API refused the request (<see cref="ErrorClass.Caller"/>).</summary>
    public const string RequestRefused = "RequestRefused";
    /// <summary>An auxiliary input of the mapper is missing, not one it declares, or of the wrong kind (<see cref="ErrorClass.Caller"/>).</summary>
    public const string AuxiliaryInput = "AuxiliaryInput";
    /// <summary>An auxiliary exposure has another size or origin than the main exposure (<see cref="ErrorClass.UnsuitableInput"/>).</summary>
    public const string AuxiliaryMismatch = "AuxiliaryMismatch";
    /// <summary>The exposure has more pixels than the deployment accepts (<see cref="ErrorClass.UnsuitableInput"/>).</summary>
    public const string MaxPixels = "MaxPixels";
    /// <summary>The grid needs the exposure's PSF and it has none (<see cref="ErrorClass.UnsuitableInput"/>).</summary>
    public const string MissingPsf = "MissingPsf";
    /// <summary>A PSF cannot be evaluated where needed (<see cref="ErrorClass.UnsuitableInput"/>).</summary>
    public const string UnusablePsf = "UnusablePsf";
    /// <summary>A mask plane is unknown, or the 32 planes are all in use (<see cref="ErrorClass.UnsuitableInput"/>).</summary>
    public const string MaskPlane = "MaskPlane";
    /// <summary>An input file cannot be used (the CLI's own checks; <see cref="ErrorClass.BadInput"/>).</summary>
    public const string InputData = "InputData";
    /// <summary>A blob or file does not exist (<see cref="ErrorClass.NotFound"/>).</summary>
    public const string NotFound = "NotFound";
    /// <summary>The input changed after the run was planned (<see cref="ErrorClass.Conflict"/>).</summary>
    public const string InputChanged = "InputChanged";
    /// <summary>A blob that must not be overwritten exists (<see cref="ErrorClass.Conflict"/>).</summary>
    public const string AlreadyExists = "AlreadyExists";
    /// <summary>Staged blocks of the output are gone (<see cref="ErrorClass.Conflict"/>).</summary>
    public const string BlockListRefused = "BlockListRefused";
    /// <summary>A write conditioned on a blob's version found another version (<see cref="ErrorClass.Conflict"/>).</summary>
    public const string BlobChanged = "BlobChanged";
    /// <summary>A blob was replaced while it was being read; reading it again reads the new version (<see cref="ErrorClass.Unavailable"/>).</summary>
    public const string BlobReplaced = "BlobReplaced";
    /// <summary>
    /// Another run published the output after this run was planned, so this run's result was not published
    /// (<see cref="ErrorClass.Conflict"/>): concurrent runs to one output never mix, the first to commit wins.
    /// </summary>
    public const string OutputChanged = "OutputChanged";
    /// <summary>A storage request failed (<see cref="ErrorClass.Unavailable"/>).</summary>
    public const string Storage = "Storage";
    /// <summary>The remote API cannot be used (<see cref="ErrorClass.Unavailable"/>).</summary>
    public const string RemoteUnavailable = "RemoteUnavailable";
    /// <summary>The run's stored plan, tiles or results disagree with each other (<see cref="ErrorClass.Internal"/>).</summary>
    public const string InconsistentRun = "InconsistentRun";
    /// <summary>Results reached the reducer out of order or outside the grid (<see cref="ErrorClass.Internal"/>).</summary>
    public const string ReduceOrder = "ReduceOrder";
    /// <summary>A mapper cannot be registered (<see cref="ErrorClass.Internal"/>).</summary>
    public const string MapperRegistration = "MapperRegistration";
}
