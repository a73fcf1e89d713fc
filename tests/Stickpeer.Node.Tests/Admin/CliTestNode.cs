// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Admin;
using Stickpeer.Admin.Tables;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Tests.Admin;

/// <summary>A node that is built but not started (no sockets), with the CLI on top and a fake clock.</summary>
public sealed partial class CliTestNode
{
    // The same declarations as the HAProxy 2.6.12 instance the expected outputs were captured from.
    public const string Config = """
        peers mesh
            peer hap1 127.0.0.1:23456
            peer other 127.0.0.1:23457
            table t1 type ip size 1k expire 30s store gpc0,http_req_rate(10s),server_id
            table ts type string len 32 size 100 store gpt(2),gpc_rate(2,1m)
        backend be
            stick-table type integer size 10 expire 1m peers mesh store conn_cnt,server_key
        """;

    /// <param name="config">The configuration text.</param>
    /// <param name="format">The show table line; 2.6 by default because the expected outputs of
    /// most tests were captured from HAProxy 2.6.12.</param>
    /// <param name="startedAt">The fake clock's start (the date show peers prints).</param>
    public CliTestNode(string config = Config, CliDialect format = CliDialect.Haproxy26, DateTimeOffset? startedAt = null)
    {
        Time = new FakeTimeProvider(startedAt ?? new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var parser = new ConfigParser(_ => null);
        parser.ParseText("test.cfg", config);
        var configuration = parser.Build("other", "host");
        var built = NodeBuilder.Build(configuration, Time, NullLoggerFactory.Instance);
        var (node, tables) = (built.Node, TableRegistry.Of(built.Tables));
        Context = new AdminContext(node, tables, Time, "stickpeer test") { CliDialect = format };
    }

    public FakeTimeProvider Time { get; }

    public AdminContext Context { get; }

    /// <summary>Runs one non-interactive request, like <c>echo "..." | socat stdio unix:sock</c>.</summary>
    public string Run(string line, CliLevel level = CliLevel.Admin)
    {
        var response = new CliSession(Context, level).Execute(line);
        Assert.True(response.Close);
        return response.Output;
    }

    /// <summary>Replaces entry addresses (<c>0x...:</c> at line start) with <c>0x0:</c>.</summary>
    public static string MaskAddresses(string text) => AddressPattern().Replace(text, "0x0:");

    [GeneratedRegex("^0x[0-9a-f]+:", RegexOptions.Multiline)]
    private static partial Regex AddressPattern();
}
