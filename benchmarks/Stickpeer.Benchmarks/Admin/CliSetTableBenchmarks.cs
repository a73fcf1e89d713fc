// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Admin;
using Stickpeer.Admin.Tables;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Benchmarks.Admin;

/// <summary>
/// One pipelined <c>set table</c> line of eng/e2e_bench's propagation phase, run by a prompt-mode
/// CLI session on the bench's string table (node built, not started): the fast path, and the same
/// write through the general path (the key's first character escaped, which only that path reads;
/// the general path is what every line took before the fast path).
/// </summary>
[MemoryDiagnoser]
public class CliSetTableBenchmarks
{
    private const int Keys = 100_000;
    private const int Batch = 1000;
    private const string Data = "data.gpc0 1 data.conn_cnt 2 data.http_req_rate 3 data.server_id 1";
    private readonly StringBuilder _output = new();
    private CliSession _session = null!;
    private string[] _plain = null!;
    private string[] _escaped = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("bench.cfg", """
            peers mesh
                peer w 127.0.0.1:23456
                peer r 127.0.0.1:23457
                table s type string len 32 size 2m expire 30m store gpc0,http_req_rate(10s),conn_cnt,server_id
            """);
        var built = NodeBuilder.Build(parser.Build("w", "host"), TimeProvider.System, NullLoggerFactory.Instance);
        var context = new AdminContext(built.Node, TableRegistry.Of(built.Tables), TimeProvider.System, "bench");
        _session = new CliSession(context, CliLevel.Admin);
        _session.Execute("prompt");
        _plain = new string[Keys];
        _escaped = new string[Keys];
        for (var i = 0; i < Keys; i++)
        {
            _plain[i] = $"set table mesh/s key p{i:D12} {Data}";
            _escaped[i] = $"set table mesh/s key \\p{i:D12} {Data}";
            _session.Execute(_plain[i], _output);
        }

        _output.Clear();
    }

    /// <summary>Plain line: the fast path (words read in place, no allocation).</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public int FastPath() => Run(_plain);

    /// <summary>The same write, through the general path (word lists, strings, key array).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int GeneralPath() => Run(_escaped);

    private int Run(string[] lines)
    {
        for (var i = 0; i < Batch; i++)
        {
            _session.Execute(lines[_next], _output);
            _next = _next + 1 == Keys ? 0 : _next + 1;
        }

        var length = _output.Length;
        _output.Clear();
        return length;
    }
}
