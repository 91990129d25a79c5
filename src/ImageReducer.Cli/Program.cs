using ImageReducer.Cli;

return await ImredApp.RunAsync(args, Console.Out, Console.Error);
