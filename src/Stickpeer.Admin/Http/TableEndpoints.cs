// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stickpeer.Admin.Tables;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Admin.Http;

/// <summary>
/// <c>/api/tables</c>: list, query (key or filters), and <c>PUT</c>/<c>DELETE</c> of one entry with
/// the semantics and messages of <c>set table</c>/<c>clear table</c>. Keys, data names, filters and
/// values are read by the CLI's own parsers (<see cref="CliKey"/>, <see cref="TableArguments"/>).
/// A table name with a <c>/</c> (<c>mesh/t1</c>) is written <c>mesh%2Ft1</c> in the entry routes.
/// </summary>
internal static class TableEndpoints
{
    /// <summary>Entries returned when no <c>limit</c> is given.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>The largest <c>limit</c> accepted.</summary>
    public const int MaxLimit = 100_000;

    private const int MaxFilters = 4;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tables", (AdminContext context) =>
            TypedResults.Ok<IReadOnlyList<TableInfo>>(context.Invoke(() => context.Tables.Tables.Select(Describe).ToList())));
        app.MapGet("/api/tables/{**name}", Query);
        app.MapPut("/api/tables/{name}/entries/{key}", PutAsync);
        app.MapDelete("/api/tables/{name}/entries/{key}", Delete);
    }

    private static IResult Query(AdminContext context, string name, string? key, string[]? filter, string? limit)
    {
        var max = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxLimit))
        {
            return Invalid("limit", $"limit must be an integer from 1 to {MaxLimit}");
        }

        filter ??= [];
        if (filter.Length > MaxFilters)
        {
            return Invalid("filter", $"at most {MaxFilters} filters");
        }

        if (key is not null && filter.Length > 0)
        {
            return Invalid("key", "give either key or filter, not both");
        }

        return context.Invoke<IResult>(() =>
        {
            if (!TryFind(context, name, out var table, out var notFound))
            {
                return notFound;
            }

            table.Sweep();
            var entries = new List<EntryInfo>();
            var truncated = false;
            if (key is not null)
            {
                var parsed = ParseKey(context, table, key, "Showing");
                if (parsed.Problem is { } bad)
                {
                    return bad;
                }

                if (table.TryGetSnapshot(parsed.Key, out var entry))
                {
                    entries.Add(Entry(table, entry));
                }
            }
            else
            {
                var conditions = new List<DataCondition>();
                var matchesNothing = false;
                for (var i = 0; i < filter.Length; i++)
                {
                    if (FilterExpression.Parse(table, filter[i], out var condition) is { } error)
                    {
                        return Invalid("filter", $"filter #{i + 1} '{filter[i]}': {error}");
                    }

                    matchesNothing |= condition is null;
                    if (condition is { } c)
                    {
                        conditions.Add(c);
                    }
                }

                if (!matchesNothing)
                {
                    foreach (var entry in table.Enumerate(conditions.Count > 0 ? new EntryFilter { Conditions = conditions } : null))
                    {
                        if (entries.Count == max)
                        {
                            truncated = true;
                            break;
                        }

                        entries.Add(Entry(table, entry));
                    }
                }
            }

            return TypedResults.Ok(new TableEntriesResponse(Describe(table), entries, truncated));
        });
    }

    private static async Task<IResult> PutAsync(AdminContext context, string name, string key, HttpRequest request)
    {
        Dictionary<string, JsonElement>? body = null;
        if (request.ContentLength is not 0)
        {
            try
            {
                body = await JsonSerializer.DeserializeAsync(request.Body, ApiJsonContext.Default.DictionaryStringJsonElement, request.HttpContext.RequestAborted);
            }
            catch (JsonException ex)
            {
                return Invalid("body", "the body must be a JSON object of data names and integer values, e.g. {\"gpc0\": 5}: " + ex.Message);
            }
            catch (BadHttpRequestException ex)
            {
                // Kestrel's limits (a body over HttpApiServer.MaxBodyBytes: 413).
                return Problem(ex.StatusCode, "Bad request body", ex.Message);
            }
        }

        return context.Invoke<IResult>(() =>
        {
            if (!TryFind(context, name, out var table, out var notFound))
            {
                return notFound;
            }

            var parsedKey = ParseKey(context, table, Uri.UnescapeDataString(key), "Inserting");
            if (parsedKey.Problem is { } bad)
            {
                return bad;
            }

            var assignments = new List<DataAssignment>();
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var (field, element) in body ?? [])
            {
                var word = field.StartsWith("data.", StringComparison.Ordinal) ? field : "data." + field;
                var value = element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : null;
                if (TableArguments.TryParseAssignment(table, word, value, out var assignment) is { } error)
                {
                    errors[field] = [error];
                }
                else
                {
                    assignments.Add(assignment);
                }
            }

            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors, title: "Invalid data values");
            }

            var k = parsedKey.Key;
            return table.Set(k, assignments.ToArray()) switch
            {
                LocalUpdateStatus.TableFull => Problem(StatusCodes.Status409Conflict, "Table full", "Unable to allocate a new entry"),
                LocalUpdateStatus.InvalidKey => Invalid("key", "Invalid key"),
                var status => table.TryGetSnapshot(k, out var entry)
                    ? (status == LocalUpdateStatus.Created ? TypedResults.Json(Entry(table, entry), ApiJsonContext.Default.EntryInfo, statusCode: 201) : TypedResults.Ok(Entry(table, entry)))
                    : TypedResults.NoContent(),
            };
        });
    }

    private static IResult Delete(AdminContext context, string name, string key) => context.Invoke<IResult>(() =>
    {
        if (!TryFind(context, name, out var table, out var notFound))
        {
            return notFound;
        }

        var parsed = ParseKey(context, table, Uri.UnescapeDataString(key), "Removing");
        if (parsed.Problem is { } bad)
        {
            return bad;
        }

        return table.Remove(parsed.Key) switch
        {
            RemoveResult.InUse => Problem(StatusCodes.Status409Conflict, "Entry in use", "Entry currently in use, cannot remove"),
            RemoveResult.NotFound => Problem(StatusCodes.Status404NotFound, "No such entry", $"no entry with key '{key}'"),
            _ => TypedResults.NoContent(),
        };
    });

    private static bool TryFind(AdminContext context, string name, out StickTable table, out IResult notFound)
    {
        notFound = TypedResults.NoContent();
        if (context.Tables.TryGetByLocalName(Uri.UnescapeDataString(name), out table!))
        {
            return true;
        }

        notFound = Problem(StatusCodes.Status404NotFound, "No such table", $"no table named '{Uri.UnescapeDataString(name)}' (GET /api/tables lists them)");
        return false;
    }

    /// <summary>The key bytes, or a problem with the CLI's message.</summary>
    private static ParsedKey ParseKey(AdminContext context, StickTable table, string text, string verb)
    {
        if (table.KeyType == StickKeyType.Binary)
        {
            var into = verb == "Inserting" ? "into" : "from";
            return new ParsedKey([], Invalid("key", $"{verb} keys {into} tables of type other than ip, ipv6, string and integer is not supported"));
        }

        return CliKey.Parse(table, text, context.CliDialect) is { } bytes
            ? new ParsedKey(bytes, null)
            : new ParsedKey([], Invalid("key", "Invalid key"));
    }

    private static TableInfo Describe(StickTable table) => new(
        table.Name,
        table.Schema.Name,
        Stickpeer.Tables.Declaration.StickTableDeclaration.KeyTypeKeyword(table.KeyType),
        table.Schema.KeySize,
        table.Size,
        table.Count,
        table.ExpireMs,
        table.Schema.DataTypes.ToArray().Select(d => new DataTypeInfoDto(d.Info.Name, d.ArrayLength, d.Info.HasPeriod ? d.PeriodMs : null)).ToList());

    private static EntryInfo Entry(StickTable table, StickEntrySnapshot entry)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var spec in table.Schema.DataTypes)
        {
            var info = spec.Info;
            if (info.Encoding == DataEncoding.Dictionary)
            {
                data[info.Name] = entry.Values.Of(spec.Type)[0].Text;
                continue;
            }

            for (var i = 0; i < spec.ArrayLength; i++)
            {
                var field = info.IsArray ? string.Create(CultureInfo.InvariantCulture, $"{info.Name}[{i}]") : info.Name;
                data[field] = table.ValueOf(entry, spec.Type, i);
            }
        }

        return new EntryInfo(Stickpeer.Tables.Keys.StickKeyText.Format(table.KeyType, entry.Key), entry.RefCount, entry.HasExpiry ? entry.ExpireMs : null, entry.IsLearned, data);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] }, title: "Invalid request");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);

    private sealed record ParsedKey(byte[] Key, IResult? Problem);
}
