namespace ImageReducer.Cli.Errors;

/// <summary>The process exit codes of <c>imred</c>; scripts depend on these numbers, never change them.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Anything unexpected (a bug, an I/O failure on an output).</summary>
    public const int Unexpected = 1;
    /// <summary>Usage or configuration error: bad option, unknown config key, bad value.</summary>
    public const int Usage = 2;
    /// <summary>Input data error: unreadable or malformed FITS, missing PSF when FWHM scaling needs one.</summary>
    public const int InputData = 3;
    /// <summary>Interrupted by Ctrl+C (the shell convention 128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
