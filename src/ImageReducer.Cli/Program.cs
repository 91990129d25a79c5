using ImageReducer.Cli;
using ImageReducer.Cli.Diagnostics;
using ImageReducer.Cli.Running;

Timeline.Mark("main");
StartupWarmup.BeginFor(args);
int exit = await ImredApp.RunAsync(args, Console.Out, Console.Error);
Timeline.Mark("exit");
return exit;
