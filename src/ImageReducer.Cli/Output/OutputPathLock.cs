using System.Security.Cryptography;
using System.Text;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Output;

/// <summary>
/// The machine-wide lock of one local output path, shared by every <c>imred</c> process: whoever moves files into place
/// at that path (an in-process run's <see cref="StagedOutputs"/>, a tiled run's publisher) holds it, so a run's output
/// and its metadata are put in place together and never interleave with another run's.
/// </summary>
internal static class OutputPathLock
{
    /// <summary>Waits for the lock of <paramref name="path"/> (its full path names the lock file under the temp folder).</summary>
    public static Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken = default)
    {
        string full = Path.GetFullPath(path);
        string lockFile = Path.Combine(Path.GetTempPath(), "imred-locks", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full))) + ".lock");
        return FileLock.AcquireAsync(lockFile, full, cancellationToken);
    }
}
