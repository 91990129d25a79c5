using System.Net;
using System.Net.Sockets;

namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>
/// A loopback TCP relay in front of a server that can be cut and restored instantly: an outage whose
/// length the test controls exactly, unlike a process restart whose duration depends on machine load.
/// </summary>
/// <remarks>While cut, the port refuses connections and open connections are reset.</remarks>
public sealed class TcpOutageProxy : IAsyncDisposable
{
    private readonly int targetPort;
    private readonly List<TcpClient> open = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;
    private Task? acceptLoop;

    /// <summary>Starts relaying from a free loopback port to <paramref name="targetPort"/>.</summary>
    public TcpOutageProxy(int targetPort)
    {
        this.targetPort = targetPort;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port { get; }

    /// <summary>Stops accepting and resets every open connection.</summary>
    public async Task CutAsync()
    {
        running?.Cancel();
        this.listener?.Stop();
        lock (this.open)
        {
            foreach (TcpClient client in this.open)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, like a dead server
                client.Dispose();
            }

            this.open.Clear();
        }

        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }

        this.listener = null;
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restore()
    {
        if (this.listener is not null)
        {
            return;
        }

        running = new CancellationTokenSource();
        this.listener = new TcpListener(IPAddress.Loopback, Port);
        this.listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        this.listener.Start();
        acceptLoop = AcceptLoopAsync(this.listener, running.Token);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CutAsync().ConfigureAwait(false);

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(incoming, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient incoming, CancellationToken cancellationToken)
    {
        var outgoing = new TcpClient();
        lock (this.open)
        {
            this.open.Add(incoming);
            this.open.Add(outgoing);
        }

        try
        {
            await outgoing.ConnectAsync(IPAddress.Loopback, this.targetPort, cancellationToken).ConfigureAwait(false);
            NetworkStream a = incoming.GetStream(), b = outgoing.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, cancellationToken), b.CopyToAsync(a, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut or a closed peer ends the relay; the client sees a reset, as intended.
        }
        finally
        {
            lock (this.open)
            {
                this.open.Remove(incoming);
                this.open.Remove(outgoing);
            }

            incoming.Dispose();
            outgoing.Dispose();
        }
    }
}
