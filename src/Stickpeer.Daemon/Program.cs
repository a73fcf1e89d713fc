// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Cli;
using Stickpeer.Daemon.Hosting;

// Before anything else: it changes the process environment (see SystemCaStore).
SystemCaStore.DetachForDaemon(args);
return await StickpeerCommand.RunAsync(args, Console.In, Console.Out, Console.Error);
