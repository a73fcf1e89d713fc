// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.TestKit.Mesh;

namespace Stickpeer.Benchmarks.Mesh;

/// <summary>
/// The hub of <c>fanin</c> in a process of its own, so that its CPU and RSS are read from the
/// kernel's counters for that process alone (<see cref="Process.TotalProcessorTime"/>, VmRSS).
/// <c>fanin-hub &lt;hub port&gt; &lt;peer ports, comma-separated&gt;</c> starts the node and answers
/// one command per stdin line: <c>status</c>, <c>write KEY VALUE</c> (replies the write's
/// timestamp) and <c>await KEY VALUE MS</c> (polls its table every millisecond; replies the
/// timestamp it saw the value, or <c>lost</c>). Timestamps are <see cref="Stopwatch.GetTimestamp"/>,
/// the system-wide monotonic clock on Linux, so the two processes compare them directly.
/// </summary>
internal static class FanInHub
{
    public const string Command = "fanin-hub";

    /// <summary>The child: runs the hub until stdin closes or says <c>quit</c>.</summary>
    public static async Task RunAsync(string[] args)
    {
        var hubPort = int.Parse(args[0], CultureInfo.InvariantCulture);
        var peerPorts = args[1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var lines = new StringBuilder();
        lines.Append(CultureInfo.InvariantCulture, $"    peer hub 127.0.0.1:{hubPort}\n");
        for (var i = 0; i < peerPorts.Length; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"    peer p{i} 127.0.0.1:{peerPorts[i]}\n");
        }

        var hub = Start("hub", lines.ToString());
        try
        {
            await Console.Out.WriteLineAsync("ready");
            await Console.Out.FlushAsync();
            while (await Console.In.ReadLineAsync() is { } line && line != "quit")
            {
                await Console.Out.WriteLineAsync(await AnswerAsync(hub, line.Split(' ')));
                await Console.Out.FlushAsync();
            }
        }
        finally
        {
            await hub.Node.Node.DisposeAsync();
        }
    }

    /// <summary>Starts one node of the fan-in: a section with <paramref name="peerLines"/> and the benchmark's table.</summary>
    public static MeshMember Start(string name, string peerLines)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("fanin.cfg", $"peers {LoopbackMesh.SectionName}\n{peerLines}    table t type string len 32 size 1000000 expire 30m store gpc0\n");
        var built = NodeBuilder.Build(parser.Build(name, "host"), TimeProvider.System, NullLoggerFactory.Instance);
        built.Node.Start();
        return new MeshMember(name, built);
    }

    private static async Task<string> AnswerAsync(MeshMember hub, string[] words)
    {
        switch (words[0])
        {
            case "status":
                var peers = hub.Peers();
                var up = peers.Count(p => p.SessionState == Protocol.Session.PeerSessionState.Established);
                return string.Create(CultureInfo.InvariantCulture, $"{up} {(hub.Synced() ? 1 : 0)} {peers.Sum(p => p.SessionsEstablished)} {hub.Count}");
            case "write":
                hub.Write(words[1], long.Parse(words[2], CultureInfo.InvariantCulture));
                return Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
            case "await":
                var value = long.Parse(words[2], CultureInfo.InvariantCulture);
                var clock = Stopwatch.StartNew();
                var limit = TimeSpan.FromMilliseconds(int.Parse(words[3], CultureInfo.InvariantCulture));
                while (clock.Elapsed < limit)
                {
                    if (hub.Read(words[1]) == value)
                    {
                        return Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
                    }

                    await Task.Delay(1);
                }

                return "lost";
            default:
                return "unknown command";
        }
    }
}

/// <summary>The parent's side of <see cref="FanInHub"/>: the child process and its command channel.</summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _channel = new(1, 1);

    private HubProcess(Process process) => _process = process;

    public Process Process => _process;

    /// <summary>Starts this benchmark's own executable as <c>fanin-hub</c> and waits for its <c>ready</c>.</summary>
    public static async Task<HubProcess> StartAsync(int hubPort, IEnumerable<int> peerPorts)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(FanInHub).Assembly.Location); // run as `dotnet <dll>`
        }

        start.ArgumentList.Add(FanInHub.Command);
        start.ArgumentList.Add(hubPort.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(string.Join(',', peerPorts.Select(p => p.ToString(CultureInfo.InvariantCulture))));
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the hub process");
        var hub = new HubProcess(process);
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (first != "ready")
        {
            throw new InvalidOperationException("the hub process said: " + first);
        }

        return hub;
    }

    /// <summary>One command, one reply line.</summary>
    public async Task<string> AskAsync(string command)
    {
        await _channel.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            return await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the hub process ended");
        }
        finally
        {
            _channel.Release();
        }
    }

    /// <summary>Sessions up, synced, sessions ever established, entries.</summary>
    public async Task<(int Up, bool Synced, long Established, long Count)> StatusAsync()
    {
        var w = (await AskAsync("status")).Split(' ');
        return (int.Parse(w[0], CultureInfo.InvariantCulture), w[1] == "1", long.Parse(w[2], CultureInfo.InvariantCulture), long.Parse(w[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The hub's CPU time and RSS, read now from the kernel.</summary>
    public (TimeSpan Cpu, long Rss) Usage()
    {
        _process.Refresh();
        return (_process.TotalProcessorTime, _process.WorkingSet64);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidOperationException)
        {
            _process.Kill();
        }

        _process.Dispose();
        _channel.Dispose();
    }
}
