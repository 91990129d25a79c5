using System.Collections.Concurrent;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>Makes chosen activity calls throw a transient fault once (the first time each key is seen after arming).</summary>
public sealed class FaultInjector
{
    private readonly ConcurrentDictionary<string, int> armed = new();

    /// <summary>Calls that failed so far.</summary>
    public int Injected => injected;
    private int injected;

    /// <summary>The next call with <paramref name="key"/> throws.</summary>
    public void FailOnce(string key) => armed[key] = 1;

    /// <summary>Throws an <see cref="IOException"/> (a transient fault for the retry policy) if <paramref name="key"/> is armed.</summary>
    public void Check(string key)
    {
        if (armed.TryRemove(key, out _))
        {
            Interlocked.Increment(ref injected);
            throw new IOException($"injected transient fault ({key})");
        }
    }
}
