using ImageReducer.Cli;
using ImageReducer.Cli.Diagnostics;

Timeline.Mark("main");
int exit = await ImredApp.RunAsync(args, Console.Out, Console.Error);
Timeline.Mark("exit");
return exit;
