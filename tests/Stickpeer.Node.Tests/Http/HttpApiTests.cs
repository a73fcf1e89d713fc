// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Tests.Http;

/// <summary>Every endpoint of the HTTP API through the real Kestrel server, answers and problem details.</summary>
public sealed class HttpApiTests
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public async Task Healthz_Always_Live()
    {
        await using var api = await HttpApiFixture.StartAsync();

        var (status, body, _) = await api.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("live", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_WhileLearningThenAfterTheWindow_503Then200()
    {
        await using var api = await HttpApiFixture.StartAsync();

        var (before, body, _) = await api.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before);
        Assert.Equal("from_remote", body.GetProperty("sections")[0].GetProperty("syncState").GetString());

        // No teacher ever connects: the resync window runs out and the section gives up (ready).
        api.Node.Time.Advance(TimeSpan.FromMinutes(1));
        api.Node.Context.Invoke(() =>
        {
            api.Node.Context.Node.Sections["mesh"].Tick();
            return 0;
        });
        var (after, ready, _) = await api.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(SyncState.Finished, api.Node.Context.Node.Sections["mesh"].Coordinator.State);
    }

    [Fact]
    public async Task Peers_ListsTheRemotePeerWithoutSession()
    {
        await using var api = await HttpApiFixture.StartAsync();

        var (status, body, _) = await api.GetAsync("/api/peers");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("other", body.GetProperty("localPeer").GetString());
        var section = body.GetProperty("sections")[0];
        Assert.Equal("mesh", section.GetProperty("name").GetString());
        var peer = section.GetProperty("peers")[0];
        Assert.Equal("hap1", peer.GetProperty("name").GetString());
        Assert.Equal("127.0.0.1:23456", peer.GetProperty("address").GetString());
        Assert.False(peer.GetProperty("up").GetBoolean());
        Assert.Equal("None", peer.GetProperty("state").GetString());
        Assert.Equal(3, peer.GetProperty("tables").GetArrayLength());
    }

    [Fact]
    public async Task Tables_ListsEveryTableWithItsTypes()
    {
        await using var api = await HttpApiFixture.StartAsync();

        var (status, body, _) = await api.GetAsync("/api/tables");

        Assert.Equal(HttpStatusCode.OK, status);
        var names = body.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["mesh/t1", "mesh/ts", "be"], names);
        var t1 = body[0];
        Assert.Equal("ip", t1.GetProperty("type").GetString());
        Assert.Equal(1024, t1.GetProperty("size").GetInt64());
        var rate = t1.GetProperty("data").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "http_req_rate");
        Assert.Equal(10000u, rate.GetProperty("periodMs").GetUInt32());
    }

    [Fact]
    public async Task PutGetDelete_OneEntry_SameAsSetShowClearTable()
    {
        await using var api = await HttpApiFixture.StartAsync();

        var (created, entry, _) = await api.SendAsync(HttpMethod.Put, "/api/tables/mesh%2Ft1/entries/10.0.0.1", """{"gpc0": 5, "data.server_id": 3}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(5, entry.GetProperty("data").GetProperty("gpc0").GetInt64());

        var (updated, _, _) = await api.SendAsync(HttpMethod.Put, "/api/tables/mesh%2Ft1/entries/10.0.0.1", """{"gpc0": 6}""");
        Assert.Equal(HttpStatusCode.OK, updated);

        // The CLI sees what the API wrote.
        Assert.Contains("key=10.0.0.1 use=0 exp=", api.Node.Run("show table mesh/t1"), StringComparison.Ordinal);
        Assert.Contains("gpc0=6", api.Node.Run("show table mesh/t1"), StringComparison.Ordinal);

        var (found, byKey, _) = await api.GetAsync("/api/tables/mesh/t1?key=10.0.0.1");
        Assert.Equal(HttpStatusCode.OK, found);
        var only = Assert.Single(byKey.GetProperty("entries").EnumerateArray());
        Assert.Equal("10.0.0.1", only.GetProperty("key").GetString());
        Assert.Equal(3, only.GetProperty("data").GetProperty("server_id").GetInt64());

        var (deleted, _, _) = await api.SendAsync(HttpMethod.Delete, "/api/tables/mesh%2Ft1/entries/10.0.0.1");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.DoesNotContain("10.0.0.1", api.Node.Run("show table mesh/t1"), StringComparison.Ordinal);

        var (again, problem, media) = await api.SendAsync(HttpMethod.Delete, "/api/tables/mesh%2Ft1/entries/10.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Equal(ProblemJson, media);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Query_FilterAndLimit_SelectLikeShowTableData()
    {
        await using var api = await HttpApiFixture.StartAsync();
        api.Node.Run("set table mesh/t1 key 10.0.0.1 data.gpc0 1");
        api.Node.Run("set table mesh/t1 key 10.0.0.2 data.gpc0 7");
        api.Node.Run("set table mesh/t1 key 10.0.0.3 data.gpc0 9");

        var (_, over5, _) = await api.GetAsync("/api/tables/mesh/t1?filter=data.gpc0>5");
        var (_, words, _) = await api.GetAsync("/api/tables/mesh%2Ft1?filter=data.gpc0%20le%207&filter=data.server_id%3D0");
        var (_, limited, _) = await api.GetAsync("/api/tables/mesh/t1?limit=2");

        Assert.Equal(["10.0.0.2", "10.0.0.3"], Keys(over5).Order(StringComparer.Ordinal));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], Keys(words).Order(StringComparer.Ordinal));
        Assert.Equal(2, Keys(limited).Count);
        Assert.True(limited.GetProperty("truncated").GetBoolean());
        Assert.False(over5.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Query_ArrayElementAndServerKey_DecodedByCliName()
    {
        await using var api = await HttpApiFixture.StartAsync();
        api.Node.Run("set table mesh/ts key alice data.gpt[1] 4");

        var (_, body, _) = await api.GetAsync("/api/tables/mesh/ts?filter=data.gpt[1]>=4");
        var (_, be, _) = await api.SendAsync(HttpMethod.Put, "/api/tables/be/entries/42", "{}");

        var data = Assert.Single(body.GetProperty("entries").EnumerateArray()).GetProperty("data");
        Assert.Equal(0, data.GetProperty("gpt[0]").GetInt64());
        Assert.Equal(4, data.GetProperty("gpt[1]").GetInt64());
        Assert.Equal(JsonValueKind.Null, be.GetProperty("data").GetProperty("server_key").ValueKind);
    }

    [Theory]
    [InlineData("GET", "/api/tables/nope", null, 404, null)]
    [InlineData("GET", "/api/tables/mesh/t1?key=1.2.3", null, 400, "Invalid key")]
    [InlineData("GET", "/api/tables/mesh/t1?filter=data.gpcx>1", null, 400, "Unknown data type")]
    [InlineData("GET", "/api/tables/mesh/t1?filter=data.gpc1>1", null, 400, "Data type not stored in this table")]
    [InlineData("GET", "/api/tables/mesh/t1?filter=data.gpc0>x", null, 400, "Require a valid integer value to compare against")]
    [InlineData("GET", "/api/tables/mesh/t1?filter=gpc0", null, 400, "expected data.<type><op><value>")]
    [InlineData("GET", "/api/tables/mesh/t1?limit=0", null, 400, "limit must be")]
    [InlineData("GET", "/api/tables/mesh/t1?limit=abc", null, 400, "limit must be")]
    [InlineData("GET", "/api/tables/mesh/t1?key=1.2.3.4&filter=data.gpc0>1", null, 400, "either key or filter")]
    [InlineData("PUT", "/api/tables/mesh%2Ft1/entries/10.0.0.1", "{\"gpc0\": \"five\"}", 400, "Require a valid integer value to store")]
    [InlineData("PUT", "/api/tables/mesh%2Ft1/entries/10.0.0.1", "{\"gpc0\": 1.5}", 400, "Require a valid integer value to store")]
    [InlineData("PUT", "/api/tables/mesh%2Ft1/entries/10.0.0.1", "{\"nope\": 1}", 400, "Unknown data type")]
    [InlineData("PUT", "/api/tables/mesh%2Ft1/entries/10.0.0.1", "{\"server_id\": 99999999999999999999}", 400, "Require a valid integer value to store")]
    [InlineData("PUT", "/api/tables/mesh%2Ft1/entries/10.0.0.1", "[1, 2]", 400, "must be a JSON object")]
    [InlineData("PUT", "/api/tables/mesh%2Ft1/entries/10.0.0.1", "{\"gpc0\": ", 400, "must be a JSON object")]
    [InlineData("PUT", "/api/tables/mesh%2Ft1/entries/not-an-ip", "{}", 400, "Invalid key")]
    [InlineData("PUT", "/api/tables/mesh%2Fts/entries/k", "{\"gpt[2]\": 1}", 400, "index out of range in this data array")]
    [InlineData("PUT", "/api/tables/be/entries/42", "{\"server_key\": 1}", 400, "Require a valid integer value to store")]
    [InlineData("PUT", "/api/tables/nope/entries/1", "{}", 404, null)]
    [InlineData("DELETE", "/api/tables/mesh%2Ft1/entries/x.y", null, 400, "Invalid key")]
    [InlineData("GET", "/api/nothing-here", null, 404, null)]
    public async Task BadInput_AnswersProblemDetails_NeverA500(string method, string path, string? json, int expected, string? message)
    {
        await using var api = await HttpApiFixture.StartAsync();

        var (status, body, media) = await api.SendAsync(new HttpMethod(method), path, json);

        Assert.Equal(expected, (int)status);
        Assert.Equal(ProblemJson, media);
        Assert.Equal(expected, body.GetProperty("status").GetInt32());
        if (message is not null)
        {
            Assert.Contains(message, body.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Put_BodyOverTheLimit_413Problem()
    {
        await using var api = await HttpApiFixture.StartAsync();
        var json = "{\"gpc0\": 1, \"pad\": \"" + new string('x', 70_000) + "\"}";

        var (status, body, media) = await api.SendAsync(HttpMethod.Put, "/api/tables/mesh%2Ft1/entries/10.0.0.1", json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(ProblemJson, media);
        Assert.Equal(413, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Token_Required_ExceptForHealthProbes()
    {
        await using var api = await HttpApiFixture.StartAsync(token: "s3cret");

        var (none, problem, media) = await api.GetAsync("/api/peers");
        var (wrong, _, _) = await api.GetAsync("/api/tables", token: "s3cre");
        var (metrics, _, _) = await api.GetAsync("/metrics");
        var (right, _, _) = await api.GetAsync("/api/tables", token: "s3cret");
        var (health, _, _) = await api.GetAsync("/healthz");
        var (ready, _, _) = await api.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.Unauthorized, none);
        Assert.Equal(ProblemJson, media);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, metrics);
        Assert.Equal(HttpStatusCode.OK, right);
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
    }

    private static List<string> Keys(JsonElement response) =>
        response.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("key").GetString()!).ToList();
}
