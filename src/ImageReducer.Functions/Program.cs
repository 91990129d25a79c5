using ImageReducer.Functions.Configuration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;

var host = new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) => services.AddImageReducerWorker(context.Configuration))
    .Build();
host.Run();
