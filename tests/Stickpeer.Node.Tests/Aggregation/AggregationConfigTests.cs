// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Tests.Aggregation;

/// <summary>The <c>#@stickpeer aggregate</c> directive: read from a comment HAProxy skips, errors at file:line.</summary>
public sealed class AggregationConfigTests
{
    private const string Head = """
        peers agg
            peer agg 127.0.0.1:1
            peer h1 127.0.0.1:2
            table local type ip size 10 expire 10s store http_req_cnt,http_req_rate(10s)
            table global type ip size 10 expire 1m store http_req_cnt,http_req_rate(10s)

        """;

    [Fact]
    public void Directive_InPeersSection_IsARule()
    {
        var config = AggregationEngineTests.Parse(Head + "    #@stickpeer aggregate global from local\n");

        var rule = Assert.Single(config.Aggregates);
        Assert.Equal("agg/global", rule.OutputLocalName);
        Assert.Equal(["agg/local"], rule.SourceLocalNames);
        Assert.Single(NodeBuilder.Build(config, TimeProvider.System, NullLoggerFactory.Instance).Aggregation!.Rules);
    }

    [Fact]
    public void OrdinaryComment_IsStillAComment()
    {
        var config = AggregationEngineTests.Parse(Head + "    # stickpeer aggregate global from local\n    #@stickpeers aggregate x\n");

        Assert.Empty(config.Aggregates);
    }

    [Theory]
    [InlineData("    #@stickpeer aggregate global from nosuch\n", "test.cfg:6: aggregate: source table 'nosuch' is not declared in peers section 'agg'")]
    [InlineData("    #@stickpeer aggregate nosuch from local\n", "test.cfg:6: aggregate: output table 'nosuch' is not declared")]
    [InlineData("    table s type string len 8 size 10 store http_req_cnt,http_req_rate(10s)\n    #@stickpeer aggregate global from s\n", "test.cfg:7: aggregate: source table 's' has key type")]
    [InlineData("    table s type ip size 10 store http_req_cnt\n    #@stickpeer aggregate global from s\n", "test.cfg:7: aggregate: source table 's' does not store 'http_req_rate'")]
    [InlineData("    table s type ip size 10 store http_req_cnt,http_req_rate(10s),gpc0\n    #@stickpeer aggregate global from s\n", "test.cfg:7: aggregate: output table 'global' lacks 'gpc0'")]
    [InlineData("    table s type ip size 10 store http_req_cnt,http_req_rate(1s)\n    #@stickpeer aggregate global from s\n", "test.cfg:7: aggregate: 'http_req_rate' has another array length or period")]
    [InlineData("    #@stickpeer aggregate global from local\n    #@stickpeer aggregate local from global\n", "test.cfg:6: aggregate: output table 'global' is also a source table")]
    public void BadRule_IsAnErrorAtItsLine(string lines, string message)
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            NodeBuilder.Build(AggregationEngineTests.Parse(Head + lines), TimeProvider.System, NullLoggerFactory.Instance));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#@stickpeer aggregate global from local\npeers agg\n", "test.cfg:1: 'aggregate' is only valid in a peers section")]
    [InlineData("    #@stickpeer aggregate global\n", "test.cfg:6: 'aggregate' expects '<output table> from <source table>")]
    [InlineData("    #@stickpeer aggregate global from global\n", "test.cfg:6: 'aggregate': table 'global' cannot be its own source")]
    [InlineData("    #@stickpeer sum global\n", "test.cfg:6: unknown #@stickpeer directive 'sum'")]
    public void MalformedDirective_IsAParseErrorAtItsLine(string lines, string message)
    {
        var text = lines.StartsWith('#') ? lines + Head[(Head.IndexOf('\n', StringComparison.Ordinal) + 1)..] : Head + lines;
        var ex = Assert.Throws<ConfigurationException>(() => AggregationEngineTests.Parse(text));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
