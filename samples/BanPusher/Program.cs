// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Samples.BanPusher;

// dotnet run --project samples/BanPusher -- /etc/haproxy/haproxy.cfg banpusher bp/bans < bans.txt
return await Pusher.RunAsync(args, Console.In, Console.Out, CancellationToken.None);
