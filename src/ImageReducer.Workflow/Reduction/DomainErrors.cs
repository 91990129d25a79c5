using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Tells errors that retrying cannot fix (bad input, bad configuration, limits, a mapper's domain
/// failure) from transient ones (storage outages, timeouts). Activities turn the former into failure
/// records, because the Durable backend would otherwise retry a failing message indefinitely.
/// </summary>
public static class DomainErrors
{
    /// <summary>True when <paramref name="e"/> is a domain error.</summary>
    public static bool IsDomain(Exception e) => e switch
    {
        FitsException or ConfigValidationException or ReduceException or MapperRegistrationException
            or GridTooLargeException or MissingPsfException or OddBoxException or InvalidPsfException
            or MaskPlaneException or ReductionException or BlobNotFoundException or JsonException => true,
        NotSupportedException => true,   // e.g. a PSF type without a file form
        ArgumentException when e is not ArgumentNullException => true, // invalid blob names, regions
        _ => false,
    };

    /// <summary>The code that classifies <paramref name="e"/> beyond its type: the FITS error category or the limit exceeded; null otherwise.</summary>
    public static string? Code(Exception e) => e switch
    {
        FitsFormatException f => f.Category.ToString(),
        ReductionException r => r.Code,
        GridTooLargeException => "MaxCells",
        _ => null,
    };

    /// <summary>One line for a failure record: the type, the code when there is one, and the message (<see cref="DomainError.ToString"/>).</summary>
    public static string Describe(Exception e) => DomainError.Of(e).ToString();
}
