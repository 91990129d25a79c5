using System.Reflection;
using ImageReducer.Bench;

// Trivial-process and I/O floors of the `process` suite: answered before anything else loads.
if (args is ["noop"]) return 0;
if (args.Length == 4 && args[0] == "floor-io") return FloorIo.Run(args[1..]);

// The harness: each suite measures side by side with its baseline and prints a table.
var suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/ImageReducer.Bench -- SUITE [args]");
    foreach (var s in suites) Console.WriteLine($"  {s.Name,-14} {s.Description}");
    return args.Length == 0 ? 2 : 0;
}
var suite = suites.FirstOrDefault(s => s.Name == args[0]);
if (suite is null)
{
    Console.Error.WriteLine($"bench: error: unknown suite '{args[0]}' (known: {string.Join(", ", suites.Select(s => s.Name))})");
    return 2;
}
return suite.Run(args[1..]);
