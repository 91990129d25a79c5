namespace ImageReducer.Cli.Remote;

/// <summary>
/// How often and how patiently a request is retried after a transient failure (no connection, a timeout, 408, 429, 5xx):
/// <see cref="Retries"/> more attempts, waiting the server's <c>Retry-After</c> when it gives one, else
/// <see cref="FirstDelay"/> doubling up to <see cref="MaxDelay"/>. Retrying a start is safe: the API derives the instance id
/// from the request, so a repeated POST finds the instance the first one started.
/// </summary>
/// <param name="Retries">Attempts after the first.</param>
/// <param name="FirstDelay">Wait before the first retry.</param>
/// <param name="MaxDelay">Longest wait between attempts (also caps <c>Retry-After</c>).</param>
/// <param name="RequestTimeout">Longest one attempt may take.</param>
internal sealed record RetryPolicy(int Retries, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan RequestTimeout)
{
    /// <summary>4 retries, 1 s doubling to 30 s, 100 s per attempt.</summary>
    public static RetryPolicy Default { get; } = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(100));

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayBefore(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is TimeSpan given) return given < TimeSpan.Zero ? TimeSpan.Zero : given > MaxDelay ? MaxDelay : given;
        double ms = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
    }
}
