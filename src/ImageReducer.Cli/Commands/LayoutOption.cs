using System.CommandLine;

namespace ImageReducer.Cli.Commands;

/// <summary><c>--layout auto|lsst|hst|gemini|plain</c>: how the planes of an exposure are found in the FITS file.</summary>
internal static class LayoutOption
{
    public static readonly string[] Names = ["auto", "lsst", "hst", "gemini", "plain"];

    public static Option<string> Create()
    {
        var option = new Option<string>("--layout")
        {
            Description = "FITS layout of the input: auto (detect), lsst (IMAGE/MASK/VARIANCE), hst (SCI/DQ/ERR), gemini (SCI/DQ/VAR), plain (one image)",
            HelpName = string.Join('|', Names),
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong(Names);
        return option;
    }
}
