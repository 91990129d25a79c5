using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// Finds the <c>azurite-blob</c> executable, installing Azurite with npm into <c>&lt;repo&gt;/tools</c>
/// when it is nowhere to be found. Never returns null: a machine without Azurite fails the tests.
/// </summary>
/// <remarks>
/// Looks, in order, at the <c>IMAGEREDUCER_AZURITE</c> environment variable (path of an azurite-blob
/// executable), <c>&lt;repo&gt;/tools/node_modules/.bin/azurite-blob</c>, then PATH. The install is
/// what <c>scripts/install-azurite.sh</c> does (npm, about 40 s and 450 packages on a fresh machine),
/// serialised across test processes by a lock file.
/// </remarks>
internal static class AzuriteLocator
{
    public const string Version = "3.37.0";
    private const string EnvironmentVariable = "IMAGEREDUCER_AZURITE";
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static async Task<string> FindOrInstallAsync(CancellationToken cancellationToken = default)
    {
        string? found = Find();
        if (found is not null)
        {
            return found;
        }

        await InstallGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            found = Find();
            if (found is not null)
            {
                return found;
            }

            await InstallAsync(cancellationToken).ConfigureAwait(false);
            return Find() ?? throw new InvalidOperationException(
                $"npm reported success but no azurite-blob executable is in {ToolsBin()}.");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImageReducer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No ImageReducer.sln above {AppContext.BaseDirectory}; cannot locate <repo>/tools for Azurite.");
    }

    private static string ExecutableName => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "azurite-blob.cmd" : "azurite-blob";

    private static string ToolsBin() => Path.Combine(RepositoryRoot(), "tools", "node_modules", ".bin");

    private static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{EnvironmentVariable} names '{configured}', which does not exist.");
        }

        string local = Path.Combine(ToolsBin(), ExecutableName);
        if (File.Exists(local))
        {
            return local;
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, ExecutableName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task InstallAsync(CancellationToken cancellationToken)
    {
        string tools = Path.Combine(RepositoryRoot(), "tools");
        Directory.CreateDirectory(tools);

        // Another test process may be installing too: hold an exclusive lock file meanwhile.
        await using FileStream lockFile = await AcquireLockAsync(Path.Combine(tools, ".azurite-install.lock"), cancellationToken).ConfigureAwait(false);
        if (Find() is not null)
        {
            return;
        }

        bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var start = new ProcessStartInfo(windows ? "cmd.exe" : "npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (windows)
        {
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add("npm");
        }

        foreach (string arg in (string[])["install", "--prefix", tools, "--no-audit", "--no-fund", "--loglevel=error", $"azurite@{Version}"])
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null for npm.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"Azurite is not installed and npm could not be started to install it ({e.Message}). " +
                "Install Node.js and npm, then run scripts/install-azurite.sh.", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("npm install azurite did not finish within 10 minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"npm install azurite@{Version} into {tools} failed with exit code {process.ExitCode}:\n" +
                    await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
            }
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        DateTime giveUp = DateTime.UtcNow.AddMinutes(12);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
