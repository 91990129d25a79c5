using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DurableTaskCore = DurableTask.Core;

namespace ImageReducer.Workflow.Tests.NightScale;

/// <summary>
/// The in-memory Durable host of <c>Microsoft.DurableTask.InProcessTestHost</c> (its in-memory backend and gRPC sidecar,
/// the isolated worker's gRPC hop, the SDK's worker and client), put together as its <c>DurableTaskTestHost</c> does but
/// over a <see cref="MeteredOrchestrationService"/>: every payload and history measured, and the dispatch limit lifted.
/// </summary>
public sealed class MeteredDurableHost : IAsyncDisposable
{
    private readonly IHost sidecar;
    private readonly IHost worker;
    private readonly GrpcChannel channel;

    private MeteredDurableHost(IHost sidecar, IHost worker, GrpcChannel channel, MeteredOrchestrationService meter)
    {
        this.sidecar = sidecar;
        this.worker = worker;
        this.channel = channel;
        Meter = meter;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    /// <summary>The client (schedule, wait, query, purge).</summary>
    public DurableTaskClient Client { get; }

    /// <summary>What the backend carried.</summary>
    public MeteredOrchestrationService Meter { get; }

    /// <summary>Starts a host running what <paramref name="registry"/> adds.</summary>
    /// <param name="registry">Adds the orchestrators and activities.</param>
    /// <param name="concurrency">Work items of each kind the backend dispatches at once.</param>
    /// <param name="loggerFactory">Logs (none by default).</param>
    public static async Task<MeteredDurableHost> StartAsync(Action<DurableTaskRegistry> registry,
        int concurrency = MeteredOrchestrationService.DefaultConcurrency, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        loggerFactory ??= NullLoggerFactory.Instance;
        var meter = new MeteredOrchestrationService(new InMemoryOrchestrationService(loggerFactory), concurrency);
        IHost sidecar = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureWebHostDefaults(web =>
            {
                web.UseUrls("http://127.0.0.1:0"); // any free port
                web.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
                web.ConfigureServices(services =>
                {
                    services.AddGrpc(o => o.MaxReceiveMessageSize = null);
                    services.AddSingleton(loggerFactory);
                    services.AddSingleton<DurableTaskCore.IOrchestrationService>(meter);
                    services.AddSingleton<DurableTaskCore.IOrchestrationServiceClient>(meter);
                    services.AddSingleton<TaskHubGrpcServer>();
                });
                web.Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>());
                });
            })
            .Build();
        await sidecar.StartAsync().ConfigureAwait(false);
        string address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var channel = GrpcChannel.ForAddress(address);

        IHost worker = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.Services.AddSingleton(loggerFactory);
            })
            .ConfigureServices(services =>
            {
                services.AddDurableTaskWorker(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.AddTasks(registry);
                });
                services.AddDurableTaskClient(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.RegisterDirectly();
                });
            })
            .Build();
        await worker.StartAsync().ConfigureAwait(false);
        return new MeteredDurableHost(sidecar, worker, channel, meter);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await worker.StopAsync().ConfigureAwait(false);
        worker.Dispose();
        await channel.ShutdownAsync().ConfigureAwait(false);
        channel.Dispose();
        await sidecar.StopAsync().ConfigureAwait(false);
        sidecar.Dispose();
    }
}
