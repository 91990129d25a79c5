using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ImageReducer.Cli.Errors;

namespace ImageReducer.Cli;

/// <summary>
/// Where a command runs when <c>imred</c> is the native build: the linux-x64 publish compiles imred ahead of time
/// (Native AOT), which starts a fresh process with no JIT work, and publishes the managed build beside it in
/// <see cref="SiblingFolder"/>. The native build runs the local commands itself and hands the few that need code
/// generated at run time to the managed one, the whole command line unchanged, by replacing its own process
/// (<c>execv</c>: same process id, standard streams, signals and exit code).
/// </summary>
/// <remarks>
/// What needs the managed runtime, and so calls <see cref="Require"/> before doing anything: the Durable worker
/// (DurableTask.Core and the storage provider serialise by reflection), the deployed app's API (<c>submit</c>,
/// <c>status</c>, <c>night</c>: the API's contracts are read and written by reflection), the tiled run (the workflow's
/// tile records, likewise) and per-cell results (<c>--results</c>: a mapper's value can be any object). The managed build (every test runs it, and <c>dotnet run</c> and the tool package are it)
/// never hands anything off.
/// </remarks>
internal static partial class ManagedRuntime
{
    /// <summary>The folder, beside the native executable, that holds the managed build.</summary>
    public const string SiblingFolder = "managed";

    /// <summary>True in the native (ahead-of-time compiled) build.</summary>
    public static bool IsNative => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>
    /// In the native build, stops the command before it has any effect so that <see cref="ImredApp"/> hands the whole command
    /// line to the managed build; in the managed build, nothing.
    /// </summary>
    /// <param name="what">What needs it, for the error printed if the managed build is missing (e.g. <c>imred worker</c>).</param>
    /// <exception cref="ManagedRuntimeRequiredException">In the native build, always.</exception>
    public static void Require(string what)
    {
        if (IsNative) throw new ManagedRuntimeRequiredException(what);
    }

    /// <summary>The managed build's executable beside <paramref name="nativeExecutable"/>.</summary>
    public static string SiblingOf(string nativeExecutable) =>
        Path.Combine(Path.GetDirectoryName(nativeExecutable) ?? ".", SiblingFolder, Path.GetFileName(nativeExecutable));

    /// <summary>
    /// Replaces this process with the managed build running <paramref name="args"/>. Returns only when that cannot happen,
    /// with the error printed and the exit code to return.
    /// </summary>
    public static int HandOff(string[] args, string what, TextWriter error)
    {
        string self = Environment.ProcessPath ?? "imred";
        string sibling = SiblingOf(self);
        if (!File.Exists(sibling))
        {
            error.WriteLine($"imred: error: {what} runs in the managed build of imred, which this native build expects at {sibling}; " +
                "it is not there. Publish imred again as a whole (dotnet publish src/ImageReducer.Cli -c Release -r linux-x64), " +
                "or publish the managed build alone (add -p:PublishAot=false).");
            return ExitCodes.Unexpected;
        }
        Console.Out.Flush();
        Console.Error.Flush();
        error.Flush();
        var argv = new IntPtr[args.Length + 2];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8(sibling);
            for (int i = 0; i < args.Length; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
            Exec(sibling, argv); // returns only on failure
            int errno = Marshal.GetLastPInvokeError();
            error.WriteLine($"imred: error: cannot start the managed build of imred ({sibling}) for {what}: {Marshal.GetPInvokeErrorMessage(errno)}");
            return ExitCodes.Unexpected;
        }
        finally
        {
            foreach (IntPtr p in argv) Marshal.FreeCoTaskMem(p);
        }
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Exec(string path, IntPtr[] argv);
}

/// <summary>Thrown in the native build by <see cref="ManagedRuntime.Require"/>: the command line goes to the managed build.</summary>
internal sealed class ManagedRuntimeRequiredException(string what) : Exception($"{what} needs the managed build of imred")
{
    /// <summary>What needs it (e.g. <c>imred worker</c>).</summary>
    public string What { get; } = what;
}
