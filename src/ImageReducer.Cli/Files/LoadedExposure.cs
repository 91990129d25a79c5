using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Files;

/// <summary>An exposure read from a file, with the layout it was found in and the file's SHA-256.</summary>
/// <param name="Exposure">The planes, read and verified.</param>
/// <param name="Layout">The layout the file was read in.</param>
/// <param name="Sha256">The file's SHA-256 (lower-case hex), still being computed on its own thread when the read returns:
/// the hash is one core at ~2 GB/s, longer than the parallel read, so a run awaits it only when it writes its metadata.</param>
internal sealed record LoadedExposure(Exposure Exposure, string Layout, Task<string> Sha256)
{
    /// <summary>What the FITS reader tolerated (for example <c>SIMPLE = F</c>), one message each, naming the card.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
