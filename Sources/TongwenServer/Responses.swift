import Foundation
import Hummingbird
import ServiceLifecycle
import TongwenAnalysis
import TongwenDupes
import TongwenIndex
import TongwenSearch

enum Responses {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        guard let data = try? encoder.encode(value) else { return error(.internalServerError, "cannot encode the response") }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, column: Int? = nil, parameter: String? = nil, query: String? = nil) -> Response {
        json(ErrorResponse(query: query, error: .init(message: message, column: column, parameter: parameter)), status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
