// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Embedding;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Samples.BanPusher;

/// <summary>
/// Joins HAProxy's peers section as the peer <c>args[1]</c> of the configuration <c>args[0]</c> and sets
/// gpt0=1 on every address read from the feed (one per line) in table <c>args[2]</c>. A ban lasts the
/// table's <c>expire</c>, refreshed by each new line for that address; HAProxy denies with
/// <c>http-request deny if { src,table_gpt0(bp/bans) eq 1 }</c>.
/// </summary>
public static class Pusher
{
    public static async Task<int> RunAsync(string[] args, TextReader feed, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length != 3)
        {
            await output.WriteLineAsync("usage: BanPusher <haproxy.cfg> <local peer name> <table>   (addresses to ban on stdin)");
            return 2;
        }

        await using var node = new StickpeerNode(new StickpeerOptions { ConfigFile = args[0], LocalPeerName = args[1] });
        var table = node.Tables[args[2]];
        await node.StartAsync(cancellationToken);
        while (await feed.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Trim() is { Length: > 0 } address && !address.StartsWith('#'))
            {
                try
                {
                    table.Set(address, StickDataType.Gpt0, 1);
                    await output.WriteLineAsync($"banned {address}");
                }
                catch (ArgumentException ex)
                {
                    await output.WriteLineAsync($"skipped: {ex.Message}");
                }
            }
        }

        // End of feed: stopping sends what HAProxy has not received yet.
        await node.StopAsync(cancellationToken);
        return 0;
    }
}
