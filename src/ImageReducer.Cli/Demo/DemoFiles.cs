namespace ImageReducer.Cli.Demo;

/// <summary>Where <c>imred demo</c> put its files.</summary>
internal sealed record DemoFiles(string Directory, string Input, string Output, string Metadata, string InputPng, string OutputPng, string MaskPng, string GridPng)
{
    public void Print(TextWriter output)
    {
        output.WriteLine($"imred demo: files in {Directory}");
        output.WriteLine($"  input exposure   {Input}");
        output.WriteLine($"  output exposure  {Output}   (background subtracted, average of overlapping cells)");
        output.WriteLine($"  run metadata     {Metadata}");
        output.WriteLine($"  previews         {InputPng}");
        output.WriteLine($"                   {OutputPng}");
        output.WriteLine($"                   {MaskPng}");
        output.WriteLine($"                   {GridPng}");
        output.WriteLine("next: imred inspect " + Input);
    }
}
