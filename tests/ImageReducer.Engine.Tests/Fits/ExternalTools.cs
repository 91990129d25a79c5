using System.Diagnostics;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>
/// Runs the external programs the interop tests compare against: /usr/bin/python3 (with numpy and
/// astropy) and cfitsio's fitsverify. A missing tool FAILS the test with a message saying what to
/// install — interop is part of the contract, so it must not silently skip.
/// </summary>
internal static class ExternalTools
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The result of one run.</summary>
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }

    /// <summary>Runs a Python script (given as text) with arguments; asserts that Python and astropy exist and that the script succeeds.</summary>
    public static string RunPython(string script, params string[] args)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing: the FITS interop tests need Debian's python3 with python3-astropy and python3-numpy.");
        string file = Path.Combine(Path.GetTempPath(), $"imred-interop-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        try
        {
            var r = Run(Python, [file, .. args]);
            if (r.StdErr.Contains("No module named 'astropy'") || r.StdErr.Contains("No module named 'numpy'"))
                Assert.Fail($"{Python} lacks astropy/numpy (install python3-astropy): {r.StdErr}");
            Assert.True(r.ExitCode == 0, $"python script failed: {r}");
            return r.StdOut;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs <c>fitsverify</c> on a file and returns (errors, warnings) from its summary line.</summary>
    public static (int Errors, int Warnings, string Output) Fitsverify(string path)
    {
        string? exe = new[] { "/usr/bin/fitsverify", "/usr/local/bin/fitsverify" }.FirstOrDefault(File.Exists);
        if (exe is null) Assert.Fail("fitsverify is missing: the FITS interop tests need cfitsio's fitsverify (Debian package 'fitsverify').");
        var r = Run(exe!, [path]);
        string all = r.StdOut + r.StdErr;
        var m2 = System.Text.RegularExpressions.Regex.Match(all, @"Verification found (\d+) warning\(s\) and (\d+) error\(s\)");
        Assert.True(m2.Success, $"cannot find the fitsverify summary in its output:\n{all}");
        return (int.Parse(m2.Groups[2].Value), int.Parse(m2.Groups[1].Value), all);
    }

    private static Result Run(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{exe} did not finish within 120 s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
