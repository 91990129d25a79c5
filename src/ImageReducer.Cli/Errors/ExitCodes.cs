namespace ImageReducer.Cli.Errors;

/// <summary>
/// The process exit codes of <c>imred</c>; scripts depend on these numbers, never change them. Which one an error gets
/// follows from its <see cref="Engine.Errors.ErrorClass"/> (<see cref="ErrorClassifier.ExitCodeOf(Engine.Errors.ErrorClass?)"/>).
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Anything unexpected (a bug, an I/O failure on an output).</summary>
    public const int Unexpected = 1;
    /// <summary>Usage or configuration error: bad option, unknown config key, bad value.</summary>
    public const int Usage = 2;
    /// <summary>
    /// Input data error: unreadable or malformed FITS, missing PSF when FWHM scaling needs one; for
    /// <c>submit</c>/<c>status</c>/<c>night</c>, a remote run that ended failed (its input rejected, or the orchestration failed or was terminated).
    /// </summary>
    public const int InputData = 3;
    /// <summary>
    /// The remote API or the storage could not be used: endpoint unreachable, server errors after the retries, a response
    /// that is not the API's JSON, <c>--timeout</c> elapsed while following a run, a storage failure, or the input or output
    /// changed under the run. Worth retrying later, unlike 2 and 3.
    /// </summary>
    public const int Remote = 4;
    /// <summary>Interrupted by Ctrl+C (the shell convention 128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
