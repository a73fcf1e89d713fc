// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>HAProxy 2.9's <c>write-to</c>: learned updates also refresh the target table's as-is values.</summary>
public sealed class WriteToTests
{
    private const string Peers = "peers mesh\n  peer a 127.0.0.1:1\n  peer b 127.0.0.1:2\n";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void LearnedUpdate_RefreshesTheTarget_WithAsIsTypesOnly()
    {
        var built = Build(Peers
            + "  table src type string len 32 size 10 expire 1m store server_id,gpt0,gpc0,gpc0_rate(10s) write-to mesh/dst\n"
            + "  table dst type string len 32 size 10 expire 1m store server_id,gpt0,gpc0\n");
        var source = built.Node.Tables["mesh/src"];
        var update = new DecodedUpdate(source.Schema) { UpdateId = 1 };
        update.SetKey(Encoding.ASCII.GetBytes("k\0"));
        update.Values.Of(StickDataType.ServerId)[0].Number = 3;
        update.Values.Of(StickDataType.Gpt0)[0].Number = 4;
        update.Values.Of(StickDataType.Gpc0)[0].Number = 5;

        source.ApplyRemote(update, null);

        var src = built.Tables.Single(t => t.Name == "mesh/src");
        var dst = built.Tables.Single(t => t.Name == "mesh/dst");
        var key = Encoding.ASCII.GetBytes("k");
        Assert.Equal(5, Value(src, key, StickDataType.Gpc0));
        Assert.Equal(3, Value(dst, key, StickDataType.ServerId));
        Assert.Equal(4, Value(dst, key, StickDataType.Gpt0));
        Assert.Equal(0, Value(dst, key, StickDataType.Gpc0)); // a counter: never copied
        Assert.True(dst.TryGetSnapshot(key, out var entry));
        Assert.True(entry.IsLearned); // learned, so it is not pushed back to peers as a local change
    }

    [Theory]
    [InlineData("write-to mesh/nope", "write-to table 'mesh/nope' not found")]
    [InlineData("write-to mesh/src", "write-to cannot name the table itself")]
    [InlineData("write-to mesh/int", "has another key type or length")]
    [InlineData("write-to mesh/chain", "has a write-to of its own")]
    public void BadTarget_IsAConfigurationErrorAtTheSourceLine(string writeTo, string message)
    {
        var config = Peers
            + "  table src type string len 32 size 10 store gpt0 " + writeTo + "\n"
            + "  table int type integer size 10 store gpt0\n"
            + "  table chain type string len 32 size 10 store gpt0 write-to mesh/int2\n"
            + "  table int2 type string len 32 size 10 store gpt0\n";

        var ex = Assert.Throws<ConfigurationException>(() => Build(config));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test.cfg:4", ex.Message, StringComparison.Ordinal);
    }

    private BuiltNode Build(string config)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("test.cfg", config);
        return NodeBuilder.Build(parser.Build("a", "host"), _time, NullLoggerFactory.Instance);
    }

    private static long Value(StickTable table, byte[] key, StickDataType type) =>
        table.TryGetValue(key, type, 0, out var v) ? v : -1;
}
