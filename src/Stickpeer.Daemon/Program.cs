// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Cli;

return await StickpeerCommand.RunAsync(args, Console.In, Console.Out, Console.Error);
