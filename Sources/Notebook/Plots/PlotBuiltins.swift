// `plot` and `hist` in the notebook language, for plain lists: `plot([1, 4, 9, 16])`, `plot(xs, ys)`,
// `hist(values, bins=50)`, as `plt.plot` and `plt.hist` in the lectures. Keywords: title, xlabel, ylabel,
// label, logx, logy (and bins for hist); svg='FILE' also writes the picture.
import Foundation
import NotebookLanguage

/// A built-in that draws: called like a function, it prints a plot in the session's style (colour
/// and width), read at each call.
final class PlotBuiltin: NotebookObject {
    static let typeName = "function"
    let name: String
    let style: () -> TextStyle
    let body: (Arguments, TextStyle) throws(NotebookError) -> Object

    init(
        _ name: String, style: @escaping () -> TextStyle,
        body: @escaping (Arguments, TextStyle) throws(NotebookError) -> Object
    ) {
        self.name = name
        self.style = style
        self.body = body
    }

    var description: String { "<function \(name)>" }
    let attributeNames: [String] = []

    func attribute(_ attribute: String) throws(NotebookError) -> Object {
        throw NotebookError("\(name) has no attribute '\(attribute)'")
    }

    func call(_ arguments: Arguments) throws(NotebookError) -> Object {
        try body(Arguments(function: name, positional: arguments.positional, keywords: arguments.keywords), style())
    }
}

enum PlotBuiltins {
    static let keywords = ["title", "xlabel", "ylabel", "label", "logx", "logy", "svg"]

    /// `plot` and `hist`, printing through `interpreter.write` in the `style` of the moment.
    static func entries(_ interpreter: Interpreter, style: @escaping () -> TextStyle) -> [(String, Object)] {
        // The built-ins live in the interpreter's own table: holding it strongly would keep it forever.
        unowned let interpreter = interpreter
        let plot = PlotBuiltin("plot", style: style) { (args, style) throws(NotebookError) in
            try args.expect(atMost: 2, keywords: keywords)
            guard let first = args.positional.first else {
                throw NotebookError("plot() needs a list of numbers, e.g. plot([1, 4, 9, 16]) or plot(xs, ys)")
            }
            let ys = try numbers(args.positional.count == 2 ? args.positional[1] : first, "plot()'s y values")
            var series = Series.line(ys, name: try args.string(.max, "label", default: ""))
            if args.positional.count == 2 {
                let xs = try numbers(first, "plot()'s x values")
                guard xs.count == ys.count else {
                    throw NotebookError(
                        "plot(xs, ys) needs as many x values as y values, not \(xs.count) and \(ys.count)")
                }
                series = .line(x: xs, y: ys, name: series.name)
            }
            return try show(series, args, style, interpreter)
        }
        let hist = PlotBuiltin("hist", style: style) { (args, style) throws(NotebookError) in
            try args.expect(atMost: 2, keywords: keywords + ["bins"])
            guard let first = args.positional.first else {
                throw NotebookError("hist() needs a list of numbers, e.g. hist(values, bins=50)")
            }
            let bins =
                try args.value(1, "bins").map { (o) throws(NotebookError) in try o.integer(as: "hist() argument 'bins'")
                } ?? 50
            guard (1...1000).contains(bins) else {
                throw NotebookError("hist() bins must be from 1 to 1000, not \(bins)")
            }
            let series = Series.histogram(
                try numbers(first, "hist()'s values"), bins: bins, bars: true,
                name: try args.string(.max, "label", default: ""))
            return try show(series, args, style, interpreter)
        }
        return [("plot", .object(plot)), ("hist", .object(hist))]
    }

    /// Prints `series` with the axis keywords of `args`, and writes the SVG when `svg=` is given.
    private static func show(_ series: Series, _ args: Arguments, _ style: TextStyle, _ interpreter: Interpreter)
        throws(NotebookError) -> Object
    {
        let scale = { (key: String) in args.value(.max, key)?.isTruthy == true ? Axis.Scale.log : .linear }
        let plot = Plot(
            title: try args.string(.max, "title", default: ""),
            x: Axis(try args.string(.max, "xlabel", default: ""), scale: scale("logx")),
            y: Axis(try args.string(.max, "ylabel", default: ""), scale: scale("logy")), series: [series])
        if let session = interpreter.host as? Session {  // a web page takes the SVG instead
            session.show(figure: render(plot, style: style)) { svg(plot) }
        } else {
            interpreter.write(render(plot, style: style).joined(separator: "\n") + "\n")
        }
        if args.value(.max, "svg") != nil {
            let file = try args.string(.max, "svg")
            try FileErrors.writeAtomically(Data(svg(plot).utf8), to: file)
            interpreter.write("wrote \(file)\n")
        }
        return .none
    }

    /// The numbers of a list (numbers, bools or Values' data), a tensor or a numpy array.
    static func numbers(_ object: Object, _ what: String) throws(NotebookError) -> [Double] {
        if case .object(let t as TensorObject) = object { return t.doubles() }
        if case .object(let a as ArrayObject) = object { return a.values }
        var result: [Double] = []
        for (i, item) in try object.items(as: what).enumerated() { result.append(try item.number(as: "\(what)[\(i)]")) }
        return result
    }
}
