return WhichFeatures.Cli.CliApp.Run(args);
