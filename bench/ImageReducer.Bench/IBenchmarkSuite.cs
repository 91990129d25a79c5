namespace ImageReducer.Bench;

/// <summary>A benchmark suite the harness can run by name: it measures and prints a table.</summary>
public interface IBenchmarkSuite
{
    /// <summary>Name on the command line (<c>dotnet run -c Release --project bench/ImageReducer.Bench -- NAME</c>).</summary>
    string Name { get; }
    /// <summary>One line for the listing.</summary>
    string Description { get; }
    /// <summary>Runs the suite; <paramref name="args"/> are the arguments after the name. Returns an exit code.</summary>
    int Run(string[] args);
}
