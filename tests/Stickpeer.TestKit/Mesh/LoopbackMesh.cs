// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Session;
using Stickpeer.TestKit.Net;

namespace Stickpeer.TestKit.Mesh;

/// <summary>
/// A full mesh of real Stickpeer nodes in one process, each with its own host, over TCP on
/// 127.0.0.1: the same configuration file for all (one <c>peers</c> section naming every node,
/// one table), as an operator would deploy it. Used by the scale test and the <c>mesh</c>
/// benchmark.
/// </summary>
public sealed class LoopbackMesh : IAsyncDisposable
{
    /// <summary>The peers section's name; the table's full name is <c>mesh/t</c>.</summary>
    public const string SectionName = "mesh";

    private readonly List<MeshMember> _members;

    private LoopbackMesh(List<MeshMember> members, string configText)
    {
        _members = members;
        ConfigText = configText;
    }

    public IReadOnlyList<MeshMember> Members => _members;

    /// <summary>The configuration every node was started from.</summary>
    public string ConfigText { get; }

    /// <summary>Sessions a full mesh of this size has (each pair once).</summary>
    public int FullSessions => _members.Count * (_members.Count - 1) / 2;

    /// <summary>
    /// Builds and starts <paramref name="count"/> nodes named <c>n0</c>…; <paramref name="tableStore"/>
    /// is the table's <c>store</c> list.
    /// </summary>
    public static async Task<LoopbackMesh> StartAsync(int count, string tableStore = "gpc0,http_req_rate(10s)", ILoggerFactory? loggers = null, int tableSize = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var ports = FreePort.GetMany(count);
        var config = new StringBuilder();
        config.Append("peers ").AppendLine(SectionName);
        for (var i = 0; i < count; i++)
        {
            config.Append("    peer n").Append(i).Append(" 127.0.0.1:").Append(ports[i]).AppendLine();
        }

        config.Append("    table t type string len 32 size ").Append(tableSize).Append(" expire 30m store ").AppendLine(tableStore);
        var text = config.ToString();
        var members = new List<MeshMember>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var parser = new ConfigParser(_ => null);
                parser.ParseText("mesh.cfg", text);
                var built = NodeBuilder.Build(parser.Build("n" + i, "host"), TimeProvider.System, loggers ?? NullLoggerFactory.Instance);
                members.Add(new MeshMember("n" + i, built));
                built.Node.Start();
            }
        }
        catch
        {
            foreach (var m in members)
            {
                await m.Node.Node.DisposeAsync();
            }

            throw;
        }

        return new LoopbackMesh(members, text);
    }

    /// <summary>Established sessions, counted once per pair (each end reports its own).</summary>
    public int EstablishedSessions() =>
        _members.Sum(m => m.Peers().Count(p => p.SessionState == PeerSessionState.Established)) / 2;

    /// <summary>Sessions ever established, over every node and peer (both ends count): a rise after the mesh is whole is a flap.</summary>
    public long SessionsEverEstablished() => _members.Sum(m => m.Peers().Sum(p => p.SessionsEstablished));

    /// <summary>
    /// Waits (bounded) until every pair has its session and every node has finished its initial
    /// resync (no lesson running anywhere); false on timeout. Writes made before that can be
    /// overwritten on a third node by a lesson from a teacher that had not seen them yet, as in
    /// HAProxy (docs/operations.md, "Writes while a node is learning").
    /// </summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var nextProgress = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var established = EstablishedSessions();
            if (established == FullSessions && _members.All(m => m.Synced()))
            {
                return true;
            }

            if (progress is not null && DateTime.UtcNow >= nextProgress)
            {
                progress(established);
                nextProgress = DateTime.UtcNow.AddSeconds(10);
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_members.Select(m => m.Node.Node.StopAsync(TimeSpan.FromSeconds(5))));
        foreach (var m in _members)
        {
            await m.Node.Node.DisposeAsync();
        }
    }
}
