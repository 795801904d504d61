import Foundation
import Hummingbird
import ServiceLifecycle
import TongwenAnalysis
import TongwenDupes
import TongwenIndex
import TongwenSearch

/// Builds the read-only query server (tests call it in-process; `tongwen serve` runs it):
///
/// - `GET /search?q=&limit=&offset=&snippets=&variants=&collapse=&title=&speaker=&venue=&source=&path=&date=`
/// - `GET /documents/{id}` — metadata and original text
/// - `GET /analyze?text=` — what the analysis pipeline makes of a text
/// - `GET /duplicates?offset=&limit=` — the duplicate report's summary and a page of passages as
///   previews (cached per commit); `GET /duplicates/{id}` — one passage in full
/// - `GET /stats`, `GET /health`
/// - `GET /` — a search page (no external assets)
///
/// JSON is the CLI's `--json` schema; errors are `{"error": {"message", "column"?, "parameter"?}}`
/// with 400 (bad query or parameter), 404 (unknown document or route), 414 (too long), 503 (deadline).
public func buildApplication(_ configuration: ServerConfiguration, handle: IndexHandle,
                             onRunning: (@Sendable (String) -> Void)? = nil) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: GuardMiddleware(maxURILength: configuration.maxURILength))
    let routes = Routes(configuration: configuration, handle: handle)
    router.get("/health") { request, _ in routes.health() }
    router.get("/stats") { request, _ in routes.stats() }
    router.get("/search") { request, _ in await routes.search(request) }
    router.get("/analyze") { request, _ in routes.analyze(request) }
    router.get("/duplicates") { request, _ in await routes.duplicates(request) }
    router.get("/duplicates/:id") { request, context in await routes.duplicate(context.parameters.get("id") ?? "") }
    router.get("/documents/**") { request, context in await routes.document(context.parameters.getCatchAll(), request) }
    router.get("/") { request, _ in await routes.page(request) }
    var app = Application(
        router: router,
        server: .tolerantHTTP1(idleTimeout: configuration.idleTimeout),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tongwen"),
        onServerRunning: { channel in
            let address = channel.localAddress.map { "http://\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" } ?? ""
            onRunning?(address)
        }
    )
    app.addServices(ReloadService(handle: handle, interval: configuration.reloadInterval))
    return app
}

/// Polls the manifest and switches the handle to each new commit.
struct ReloadService: Service {
    let handle: IndexHandle
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }  // cancelled: shutting down
                handle.reloadIfChanged()
            }
        }
    }
}

/// Adds `Access-Control-Allow-Origin: *` to every response (GET only: the server is read-only),
/// refuses over-long request targets with 414, and turns any error a handler lets through into
/// a JSON error instead of a bare 500.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxURILength: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if request.uri.string.utf8.count > maxURILength {
            response = Responses.error(.uriTooLong, "request target longer than \(maxURILength) bytes")
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                response = Responses.error(error.status, error.body ?? error.status.reasonPhrase)
            } catch {
                response = Responses.error(.internalServerError, "\(error)")
            }
        }
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }
}
