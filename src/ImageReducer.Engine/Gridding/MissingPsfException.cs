using ImageReducer.Engine.Errors;

namespace ImageReducer.Engine.Gridding;

/// <summary>
/// The configuration needs the exposure's PSF (no explicit cell centroids and
/// <c>scaleByFwhm</c> = true, so the grid sizes are in FWHM units) but the exposure has none:
/// a valid input this run cannot use (<see cref="ErrorClass.UnsuitableInput"/>, <see cref="ErrorCodes.MissingPsf"/>).
/// </summary>
public sealed class MissingPsfException(string message) : ImageReducerException(ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf, message);
