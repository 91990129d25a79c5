namespace ImageReducer.Cli.Errors;

/// <summary>Which engine exceptions mean "bad input data" and which mean "bad configuration".</summary>
internal static class EngineErrors
{
    /// <summary>True for the engine's FITS format errors and other input-data failures.</summary>
    public static bool IsInputDataError(Exception e) => false;

    /// <summary>True for engine errors caused by the configuration (for instance an unknown mapper).</summary>
    public static bool IsConfigurationError(Exception e) => false;
}
