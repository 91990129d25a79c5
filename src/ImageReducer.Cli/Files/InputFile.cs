using ImageReducer.Cli.Errors;

namespace ImageReducer.Cli.Files;

/// <summary>Checks that an input file exists before the engine opens it, so that the error names the file plainly.</summary>
internal static class InputFile
{
    /// <exception cref="InputDataException">The file does not exist or is a directory.</exception>
    public static void MustExist(FileInfo file)
    {
        if (Directory.Exists(file.FullName)) throw new InputDataException($"{file.FullName}: is a directory, not a FITS file");
        if (!file.Exists) throw new InputDataException($"{file.FullName}: no such file");
    }
}
