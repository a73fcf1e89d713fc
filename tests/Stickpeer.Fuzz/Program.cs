// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using SharpFuzz;
using Stickpeer.Fuzz;

// stickpeer-fuzz list
// stickpeer-fuzz <target>                            AFL mode (run under afl-fuzz after sharpfuzz instrumentation)
// stickpeer-fuzz <target> --mutate <seconds> [corpus-dir] [crashers-dir]   built-in mutation loop
// stickpeer-fuzz <target> --replay <file|dir>...     runs inputs once, exit 1 on a finding
if (args.Length == 0 || args[0] == "list")
{
    Console.WriteLine(string.Join('\n', FuzzTargets.All.Keys));
    return args.Length == 0 ? 1 : 0;
}

if (!FuzzTargets.TryGet(args[0], out var name, out var target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 1;
}

if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        target(ms.GetBuffer().AsSpan(0, (int)ms.Length));
    });
    return 0;
}

if (args[1] == "--replay")
{
    var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).ToList();
    var failed = 0;
    foreach (var file in files)
    {
        try
        {
            target(File.ReadAllBytes(file));
        }
        catch (Stickpeer.Protocol.Errors.PeerProtocolException)
        {
        }
#pragma warning disable CA1031 // a replay reports every finding
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failed++;
            Console.Error.WriteLine($"{file}: {ex}");
        }
    }

    Console.WriteLine($"{name}: replayed {files.Count} inputs, {failed} findings");
    return failed == 0 ? 0 : 1;
}

if (args[1] == "--mutate" && args.Length >= 3)
{
    var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
    var corpusDir = args.Length > 3 ? args[3] : Path.Combine("tests", "Stickpeer.Fuzz", "corpus", name);
    var crashDir = args.Length > 4 ? args[4] : Path.Combine("tests", "Stickpeer.Fuzz", "crashers", name);
    var corpus = Directory.Exists(corpusDir) ? Directory.GetFiles(corpusDir).Select(File.ReadAllBytes).ToList() : [];
    var fuzzer = new MutationFuzzer(target, corpus, Environment.TickCount);
    var watch = Stopwatch.StartNew();
    var crashes = fuzzer.Run(TimeSpan.FromSeconds(seconds), long.MaxValue);
    var rate = fuzzer.Executions / Math.Max(0.001, watch.Elapsed.TotalSeconds);
    Console.WriteLine($"{name}: {fuzzer.Executions} execs in {watch.Elapsed.TotalSeconds:F1} s ({rate:F0}/s), corpus {corpus.Count}, findings {crashes.Count}");
    foreach (var (input, error) in crashes)
    {
        Directory.CreateDirectory(crashDir);
        var path = Path.Combine(crashDir, MutationFuzzer.NameOf(input));
        File.WriteAllBytes(path, input);
        Console.WriteLine($"  {path}: {error.GetType().Name}: {error.Message}\n{error.StackTrace}");
    }

    return crashes.Count == 0 ? 0 : 2;
}

Console.Error.WriteLine("usage: stickpeer-fuzz list | <target> [--mutate <seconds> [corpus] [crashers] | --replay <paths>...]");
return 1;
