using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// A real Azurite on loopback — the blob service, or blob + queue + table (what the Durable Task storage provider
/// needs) — started and stopped by the tests themselves.
/// </summary>
/// <remarks>
/// <para>Runs <c>azurite-blob</c> (found or installed by <see cref="AzuriteLocator"/>), or with
/// <c>allServices</c> the <c>azurite</c> executable beside it, on free 127.0.0.1 ports with <c>--skipApiVersionCheck</c> (current SDKs send API versions newer than
/// Azurite knows), <c>--silent</c> and <c>--disableTelemetry</c>. In memory by default (fast,
/// nothing on disk); with <c>persistent: true</c> data lives in a temporary folder so
/// <see cref="StopAsync"/> + <see cref="StartAsync"/> (same port) simulate an outage without losing
/// blobs. Dispose kills the process tree and deletes the folder.</para>
/// </remarks>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private readonly string executable;
    private readonly bool persistent;
    private readonly AzuriteProcessKind kind;
    private readonly string workFolder;
    private readonly StringBuilder output = new();
    private Process? process;

    private AzuriteServer(string executable, bool persistent, int port, string? dataRoot, AzuriteProcessKind kind = AzuriteProcessKind.Blob)
    {
        this.kind = kind;
        // azurite (all services), azurite-queue and azurite-table are installed beside azurite-blob by the same npm package.
        this.executable = kind switch
        {
            AzuriteProcessKind.All => SiblingExecutable(executable, "azurite"),
            AzuriteProcessKind.Queue => SiblingExecutable(executable, "azurite-queue"),
            AzuriteProcessKind.Table => SiblingExecutable(executable, "azurite-table"),
            _ => executable,
        };
        this.persistent = persistent;
        switch (kind)
        {
            case AzuriteProcessKind.Queue: QueuePort = port; break;
            case AzuriteProcessKind.Table: TablePort = port; break;
            case AzuriteProcessKind.All:
                BlobPort = port;
                QueuePort = FreeLoopbackPort();
                TablePort = FreeLoopbackPort();
                break;
            default: BlobPort = port; break;
        }
        workFolder = Path.Combine(dataRoot ?? Path.GetTempPath(), "imred-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workFolder);
    }

    /// <summary>The loopback port of the blob service (0 when this process runs only the queue or the table service).</summary>
    public int BlobPort { get; private set; }

    /// <summary>The loopback port of the queue service (0 when this process does not run it).</summary>
    public int QueuePort { get; }

    /// <summary>The loopback port of the table service (0 when this process does not run it).</summary>
    public int TablePort { get; }

    /// <summary>Whether the queue and table services run too.</summary>
    public bool HasAllServices => this.kind == AzuriteProcessKind.All;

    /// <summary>The blob endpoint, path-style: <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/{AccountName}");

    /// <summary>A connection string for the development account on this instance (with the queue and table endpoints when they run).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" + Endpoints;

    /// <summary>The <c>BlobEndpoint=…;QueueEndpoint=…;TableEndpoint=…;</c> part of <see cref="ConnectionString"/>, for the services this process runs.</summary>
    internal string Endpoints =>
        (BlobPort > 0 ? $"BlobEndpoint={BlobEndpoint};" : "") +
        (QueuePort > 0 ? $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" : "") +
        (TablePort > 0 ? $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};" : "");

    /// <summary>The process id of the running Azurite (for measuring its CPU time), or null.</summary>
    public int? ProcessId => IsRunning ? this.process!.Id : null;

    /// <summary>Whether the Azurite process is running.</summary>
    public bool IsRunning => this.process is { HasExited: false };

    /// <summary>Finds (or installs) Azurite and starts it; throws with a clear message when it cannot.</summary>
    /// <param name="persistent">Keep blobs in files (under <paramref name="dataRoot"/>) rather than in Azurite's memory.</param>
    /// <param name="dataRoot">
    /// Parent folder of the data folder (default: the temp folder); <c>/dev/shm</c> gives a persistent
    /// instance that survives restarts without touching the disk.
    /// </param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task<AzuriteServer> StartNewAsync(bool persistent = false, string? dataRoot = null, CancellationToken cancellationToken = default)
    {
        string executable = await AzuriteLocator.FindOrInstallAsync(cancellationToken).ConfigureAwait(false);
        return await StartNewAsync(executable, persistent, cancellationToken, dataRoot).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts blob, queue and table services (one <c>azurite</c> process): what the Durable Task storage provider needs
    /// for a task hub (control and work-item queues, History and Instances tables, lease and large-message blobs).
    /// </summary>
    public static async Task<AzuriteServer> StartAllServicesAsync(bool persistent = false, string? dataRoot = null, CancellationToken cancellationToken = default)
    {
        string executable = await AzuriteLocator.FindOrInstallAsync(cancellationToken).ConfigureAwait(false);
        return await StartNewAsync(executable, persistent, cancellationToken, dataRoot, AzuriteProcessKind.All).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts Azurite in its fastest mode on this machine: blobs in files on <c>/dev/shm</c> (a RAM
    /// disk) when there is one, else in memory. Measured with the bench suite <c>azurite</c>: its file
    /// store on tmpfs serves large range reads several times faster than its in-memory store, and
    /// nothing touches the disk.
    /// </summary>
    public static Task<AzuriteServer> StartFastestAsync(CancellationToken cancellationToken = default) =>
        OperatingSystem.IsLinux() && Directory.Exists("/dev/shm")
            ? StartNewAsync(persistent: true, dataRoot: "/dev/shm", cancellationToken)
            : StartNewAsync(persistent: false, cancellationToken: cancellationToken);

    /// <summary>Starts the given azurite-blob executable (tests of the failure path pass a wrong one).</summary>
    internal static async Task<AzuriteServer> StartNewAsync(string executable, bool persistent, CancellationToken cancellationToken, string? dataRoot = null,
        AzuriteProcessKind kind = AzuriteProcessKind.Blob)
    {

        // A free port can be taken by someone else between probing and Azurite's bind: try a few.
        const int attempts = 3;
        for (int attempt = 1; ; attempt++)
        {
            var server = new AzuriteServer(executable, persistent, FreeLoopbackPort(), dataRoot, kind);
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < attempts && server.output.ToString().Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Starts (or restarts, on the same port) the process and waits until the port accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        this.process?.Dispose();
        this.output.Clear();
        ProcessStartInfo start = StartInfo();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Azurite at '{this.executable}' could not be started: {e.Message}", e);
        }

        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var watch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false); // flushes the output handlers
                throw new InvalidOperationException(
                    $"Azurite ('{this.executable}') exited with code {process.ExitCode} before listening on 127.0.0.1:{Ports}. Output:\n{Output}");
            }

            if ((BlobPort == 0 || await AcceptsConnectionAsync(BlobPort, cancellationToken).ConfigureAwait(false))
                && (QueuePort == 0 || await AcceptsConnectionAsync(QueuePort, cancellationToken).ConfigureAwait(false))
                && (TablePort == 0 || await AcceptsConnectionAsync(TablePort, cancellationToken).ConfigureAwait(false)))
            {
                return;
            }

            if (watch.Elapsed > StartupTimeout)
            {
                await StopAsync().ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Azurite ('{this.executable}') did not listen on 127.0.0.1:{Ports} within {StartupTimeout.TotalSeconds} s. Output:\n{Output}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops Azurite the way an operator would (SIGTERM, so a disk-backed instance saves its metadata),
    /// killing the process tree if it has not ended within 10 s. For fault tests: an outage.
    /// </summary>
    public async Task StopAsync()
    {
        Process? process = this.process;
        if (process is null || process.HasExited)
        {
            return;
        }

        if (!OperatingSystem.IsWindows() && SendSignal(process.Id, SigTerm) == 0)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not shut down in time: fall through to the kill.
            }
        }

        await KillAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the process tree at once, as a crash would (unsaved metadata is lost).</summary>
    public async Task KillAsync()
    {
        Process? process = this.process;
        if (process is null || process.HasExited)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        finally
        {
            this.process?.Dispose();
            this.process = null;
            try
            {
                Directory.Delete(workFolder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private string Output
    {
        get
        {
            lock (this.output)
            {
                return this.output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (this.output)
        {
            this.output.AppendLine(line);
        }
    }

    private ProcessStartInfo StartInfo()
    {
        bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var start = new ProcessStartInfo(windows ? "cmd.exe" : this.executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workFolder,
        };
        if (windows)
        {
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add(this.executable);
        }

        string[] args =
        [
            .. (BlobPort > 0 ? (string[])["--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture)] : []),
            .. (QueuePort > 0 ? (string[])["--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture)] : []),
            .. (TablePort > 0 ? (string[])["--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture)] : []),
            "--skipApiVersionCheck",
            "--disableTelemetry",
            "--silent",
        ];
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Azurite refuses --location together with --inMemoryPersistence.
        if (this.persistent)
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(workFolder);
        }
        else
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }

        return start;
    }

    private static string SiblingExecutable(string blobExecutable, string sibling)
    {
        string name = Path.GetFileName(blobExecutable).Replace("azurite-blob", sibling, StringComparison.Ordinal);
        string path = Path.Combine(Path.GetDirectoryName(blobExecutable) ?? ".", name);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"No '{name}' beside '{blobExecutable}': the queue and table services need the full azurite package (scripts/install-azurite.sh).");
    }

    /// <summary>The ports this process listens on, for messages.</summary>
    private string Ports => string.Join(", ", new[] { BlobPort, QueuePort, TablePort }.Where(p => p > 0));

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsConnectionAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}

/// <summary>Which of Azurite's services one process runs.</summary>
internal enum AzuriteProcessKind
{
    /// <summary><c>azurite-blob</c>.</summary>
    Blob,

    /// <summary><c>azurite</c>: blob, queue and table in one Node.js process.</summary>
    All,

    /// <summary><c>azurite-queue</c>.</summary>
    Queue,

    /// <summary><c>azurite-table</c>.</summary>
    Table,
}
