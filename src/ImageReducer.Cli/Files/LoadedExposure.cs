using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Files;

/// <summary>An exposure read from a file, with the layout it was found in and the file's SHA-256.</summary>
internal sealed record LoadedExposure(Exposure Exposure, string Layout, string Sha256)
{
    /// <summary>What the FITS reader tolerated (for example <c>SIMPLE = F</c>), one message each, naming the card.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
