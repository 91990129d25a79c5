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
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _running;
    private Task? _acceptLoop;

    /// <summary>Starts relaying from a free loopback port to <paramref name="targetPort"/>.</summary>
    public TcpOutageProxy(int targetPort)
    {
        _targetPort = targetPort;
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
        _running?.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (TcpClient client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, like a dead server
                client.Dispose();
            }

            _open.Clear();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        _listener = null;
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restore()
    {
        if (_listener is not null)
        {
            return;
        }

        _running = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_listener, _running.Token);
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
        lock (_open)
        {
            _open.Add(incoming);
            _open.Add(outgoing);
        }

        try
        {
            await outgoing.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken).ConfigureAwait(false);
            NetworkStream a = incoming.GetStream(), b = outgoing.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, cancellationToken), b.CopyToAsync(a, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut or a closed peer ends the relay; the client sees a reset, as intended.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(incoming);
                _open.Remove(outgoing);
            }

            incoming.Dispose();
            outgoing.Dispose();
        }
    }
}
