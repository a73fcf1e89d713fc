// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.IO.Compression;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Packaging;

/// <summary>
/// What `dotnet pack` produces, used the way a consumer would: a fresh console project restores
/// Stickpeer.Node from a local feed and runs a node; `dotnet tool install` gives a working `stickpeer`.
/// The repository is packed once for the class (about a minute on 2 cores).
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackagingCollection.Name)]
public sealed class PackageTests : IClassFixture<PackedFeed>
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(4);
    private readonly PackedFeed _feed;

    public PackageTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public void Libraries_are_packed_with_readme_license_docs_and_symbols()
    {
        Assert.True(_feed.Pack.Exit == 0, _feed.Pack.Output);
        foreach (var id in new[] { "Stickpeer.Protocol", "Stickpeer.Tables", "Stickpeer.Node" })
        {
            var package = Path.Combine(_feed.Feed, $"{id}.{_feed.Version}.nupkg");
            Assert.True(File.Exists(Path.Combine(_feed.Feed, $"{id}.{_feed.Version}.snupkg")), $"{id}: no symbols package");
            using var zip = ZipFile.OpenRead(package);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", names);
            Assert.Contains($"lib/net10.0/{id}.dll", names);
            Assert.Contains($"lib/net10.0/{id}.xml", names);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var text = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", text, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_fresh_console_project_runs_a_node_from_the_local_feed()
    {
        Assert.True(_feed.Pack.Exit == 0, _feed.Pack.Output);
        var app = Directory.CreateDirectory(Path.Combine(_feed.Root, "consumer")).FullName;
        _feed.WriteNuGetConfig(app);
        await File.WriteAllTextAsync(Path.Combine(app, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Stickpeer.Node" Version="{_feed.Version}" />
              </ItemGroup>
            </Project>
            """, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Stickpeer.Node.Embedding;
            using Stickpeer.Protocol.Model;

            var options = new StickpeerOptions { LocalPeerName = "consumer", Bind = "127.0.0.1:" + args[0] };
            options.Tables.Add(new StickpeerTableDeclaration("clients", "type ip size 1k expire 1m store gpc0"));
            await using var node = new StickpeerNode(options);
            await node.StartAsync();
            node.Tables["clients"].Increment("192.0.2.1", StickDataType.Gpc0, 5);
            node.Tables["clients"].TryGetValue("192.0.2.1", StickDataType.Gpc0, out var gpc0);
            Console.WriteLine($"port={node.ListenEndpoints["stickpeer"].Port} gpc0={gpc0}");
            await node.StopAsync();
            """, TestContext.Current.CancellationToken);

        var port = FreePort.Get();
        var (exit, output) = await DotnetCli.RunAsync("dotnet", $"run -- {port}", app, _feed.Environment, s_limit);

        Assert.True(exit == 0, output);
        Assert.Contains($"port={port} gpc0=5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_installs_and_runs()
    {
        Assert.True(_feed.Pack.Exit == 0, _feed.Pack.Output);
        var tools = Path.Combine(_feed.Root, "tools");
        var work = Directory.CreateDirectory(Path.Combine(_feed.Root, "tool-work")).FullName;
        _feed.WriteNuGetConfig(work);
        var (exit, output) = await DotnetCli.RunAsync("dotnet", $"tool install --tool-path \"{tools}\" stickpeer --version {_feed.Version} --add-source \"{_feed.Feed}\"", work, _feed.Environment, s_limit);
        Assert.True(exit == 0, output);
        var stickpeer = Path.Combine(tools, "stickpeer");

        (exit, output) = await DotnetCli.RunAsync(stickpeer, "--version", work, null, s_limit);
        Assert.True(exit == 0, output);
        Assert.Contains(_feed.Version, output, StringComparison.Ordinal);

        var config = Path.Combine(work, "stickpeer.cfg");
        await File.WriteAllTextAsync(config, $"""
            peers p
                bind 127.0.0.1:{FreePort.Get()}
                server me
                table t type ip size 1k store gpc0
            """, TestContext.Current.CancellationToken);
        (exit, output) = await DotnetCli.RunAsync(stickpeer, $"-c -L me -f \"{config}\"", work, null, s_limit);
        Assert.True(exit == 0, output);

        await File.AppendAllTextAsync(config, "\n    frobnicate\n", TestContext.Current.CancellationToken);
        (exit, output) = await DotnetCli.RunAsync(stickpeer, $"-c -L me -f \"{config}\"", work, null, s_limit);
        Assert.NotEqual(0, exit);
        Assert.Contains("stickpeer.cfg:5", output, StringComparison.Ordinal);
    }
}
