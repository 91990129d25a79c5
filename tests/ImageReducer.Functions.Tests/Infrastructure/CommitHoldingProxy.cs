using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of Azurite's blob service that, while armed, holds the first block-list commit
/// (<c>PUT …?comp=blocklist</c>) of a blob whose path contains a given fragment: the request never reaches Azurite, and
/// <see cref="Held"/> completes, so a test can kill the process that sent it in the middle of its commit.
/// </summary>
public sealed class CommitHoldingProxy : IAsyncDisposable
{
    private readonly int targetPort;
    private readonly string fragment;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> open = [];
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int armed = 1;

    /// <summary>Relays to <paramref name="targetPort"/>; holds the first commit whose request line contains <paramref name="pathFragment"/>.</summary>
    public CommitHoldingProxy(int targetPort, string pathFragment)
    {
        this.targetPort = targetPort;
        fragment = pathFragment;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    /// <summary>The relay's port.</summary>
    public int Port { get; }

    /// <summary>Completes when a commit has been held (and will never be delivered).</summary>
    public Task Held => held.Task;

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(incoming);
        }
    }

    private async Task RelayAsync(TcpClient incoming)
    {
        var outgoing = new TcpClient();
        lock (open)
        {
            open.Add(incoming);
            open.Add(outgoing);
        }
        try
        {
            await outgoing.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
            NetworkStream client = incoming.GetStream(), server = outgoing.GetStream();
            Task back = server.CopyToAsync(client, stop.Token);
            var buffer = new byte[81920];
            while (true)
            {
                int n = await client.ReadAsync(buffer, stop.Token);
                if (n == 0) break;
                if (Volatile.Read(ref armed) == 1 && IsHeldCommit(buffer.AsSpan(0, n)) && Interlocked.Exchange(ref armed, 0) == 1)
                {
                    held.TrySetResult();
                    await Task.Delay(Timeout.Infinite, stop.Token); // the sender waits for an answer that never comes
                }
                await server.WriteAsync(buffer.AsMemory(0, n), stop.Token);
            }
            await back;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed peer or the end of the test ends the relay.
        }
        finally
        {
            incoming.Dispose();
            outgoing.Dispose();
        }
    }

    private bool IsHeldCommit(ReadOnlySpan<byte> chunk)
    {
        // The request line is at the start of a request's first chunk: "PUT /account/container/name?comp=blocklist HTTP/1.1".
        string head = Encoding.ASCII.GetString(chunk[..Math.Min(chunk.Length, 2048)]);
        int end = head.IndexOf('\n');
        string line = end < 0 ? head : head[..end];
        return line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("comp=blocklist", StringComparison.Ordinal)
            && line.Contains(fragment, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        lock (open)
            foreach (TcpClient c in open) c.Dispose();
        return ValueTask.CompletedTask;
    }
}
