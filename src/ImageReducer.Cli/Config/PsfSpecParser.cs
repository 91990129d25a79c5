using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Config;

/// <summary><c>--psf SPEC</c>: the engine's one PSF spec syntax (<see cref="PsfSpec"/>), its errors worded for the option.</summary>
internal static class PsfSpecParser
{
    /// <summary>Shown in help and in error messages.</summary>
    public const string Syntax = PsfSpec.Syntax;

    /// <summary>Parses <paramref name="spec"/>.</summary>
    /// <exception cref="UsageException">The spec is malformed; the message quotes it.</exception>
    public static PsfSpec ParseSpec(string spec)
    {
        try
        {
            return PsfSpec.Parse(spec);
        }
        catch (ConfigValidationException e)
        {
            throw new UsageException("--psf " + e.Message, e);
        }
    }

    /// <summary>Parses <paramref name="spec"/> and builds the PSF; <paramref name="loadKernel"/> reads the file of a <c>kernel:</c> spec.</summary>
    /// <exception cref="UsageException">The spec is malformed; the message quotes it.</exception>
    public static Psf Parse(string spec, Func<FileInfo, Psf> loadKernel) => ParseSpec(spec).Create(path => loadKernel(new FileInfo(path)));
}
