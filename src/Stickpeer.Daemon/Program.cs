// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Decode;

if (args.Length > 0 && args[0] == "decode")
{
    return await DecodeCommand.RunAsync(args[1..], Console.In, Console.Out, Console.Error);
}

Console.WriteLine("stickpeer");
return 0;
