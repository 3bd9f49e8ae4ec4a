// `torch.nn` and `torch.optim`, as "Let's build GPT" and makemore use them: `nn.Module` (subclassed by
// the user, with `super().__init__()`, parameters found through its attributes, `train()`/`eval()`,
// `register_buffer`, `apply`), the layers `Linear`, `Embedding`, `LayerNorm`, `Dropout`, `ReLU`,
// `Tanh`, `GELU`, `Sequential`, `ModuleList`, `nn.Parameter`, `nn.init`, and the optimizers `SGD`,
// `Adam` and `AdamW`. The modules are written in the notebook's own Python (below), over the tensor
// ops; they initialise their weights as PyTorch does, draw for draw.
import Engine
import Foundation

extension Interpreter {
    /// The classes of `torch.nn`, written in the notebook's Python. Every global they use is named
    /// `__gb_…` (the built-ins too), so a user's own `Linear`, `math` or `iter` is never touched.
    static let torchNNSource = """
        class Module:
            training = True
            def __init__(self):
                self._buffers = []
            def __call__(self, *args, **kwargs):
                return self.forward(*args, **kwargs)
            def register_buffer(self, name, tensor):
                self._buffers.append(name)
                __gb_setattr(self, name, tensor)
            def _named_children(self):
                return [(k, v) for k, v in self.__dict__.items() if __gb_isinstance(v, __gb_Module)]
            def children(self):
                return [v for k, v in self._named_children()]
            def modules(self):
                found = [self]
                for child in self.children():
                    found += child.modules()
                return found
            def parameters(self):
                found = []
                seen = __gb_set()
                for module in self.modules():
                    buffers = module.__dict__.get('_buffers', [])
                    for name, value in module.__dict__.items():
                        if __gb_isinstance(value, __gb_torch.Tensor) and value.requires_grad and name not in buffers:
                            if __gb_id(value) not in seen:
                                seen.add(__gb_id(value))
                                found.append(value)
                return found
            def named_parameters(self):
                named = []
                for name, value in self.__dict__.items():
                    if __gb_isinstance(value, __gb_torch.Tensor) and value.requires_grad and name not in self.__dict__.get('_buffers', []):
                        named.append((name, value))
                for child_name, child in self._named_children():
                    named += [(child_name + '.' + n, p) for n, p in child.named_parameters()]
                return named
            def train(self, mode=True):
                self.training = mode
                for child in self.children():
                    child.train(mode)
                return self
            def eval(self):
                return self.train(False)
            def to(self, *args, **kwargs):
                return self
            def apply(self, fn):
                for child in self.children():
                    child.apply(fn)
                fn(self)
                return self
            def zero_grad(self, set_to_none=True):
                for p in self.parameters():
                    p.grad = None
            def extra_repr(self):
                return ''
            def __repr__(self):
                children = self._named_children()
                if not children:
                    return __gb_type(self).__name__ + '(' + self.extra_repr() + ')'
                lines = [__gb_type(self).__name__ + '(']
                for name, child in children:
                    lines.append('  (' + name + '): ' + __gb_repr(child).replace('\\n', '\\n  '))
                return '\\n'.join(lines + [')'])

        def _parameter(data, requires_grad=True):
            return __gb_torch._parameter(data, requires_grad)

        class Linear(__gb_Module):
            def __init__(self, in_features, out_features, bias=True):
                super().__init__()
                self.in_features = in_features
                self.out_features = out_features
                self.weight = __gb_torch.empty((out_features, in_features))
                bound = __gb_math.sqrt(2.0 / (1 + __gb_math.sqrt(5) ** 2)) * __gb_math.sqrt(3.0 / in_features)
                self.weight.uniform_(-bound, bound)
                __gb_torch._parameter(self.weight)
                if bias:
                    self.bias = __gb_torch.empty(out_features)
                    self.bias.uniform_(-1 / __gb_math.sqrt(in_features), 1 / __gb_math.sqrt(in_features))
                    __gb_torch._parameter(self.bias)
                else:
                    self.bias = None
            def forward(self, x):
                return __gb_F.linear(x, self.weight, self.bias)
            def extra_repr(self):
                return f'in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}'

        class Embedding(__gb_Module):
            def __init__(self, num_embeddings, embedding_dim):
                super().__init__()
                self.num_embeddings = num_embeddings
                self.embedding_dim = embedding_dim
                self.weight = __gb_torch._parameter(__gb_torch.randn((num_embeddings, embedding_dim)))
            def forward(self, idx):
                return self.weight[idx]
            def extra_repr(self):
                return f'{self.num_embeddings}, {self.embedding_dim}'

        class LayerNorm(__gb_Module):
            def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True):
                super().__init__()
                self.normalized_shape = normalized_shape if __gb_isinstance(normalized_shape, tuple) else (normalized_shape,)
                self.eps = eps
                self.weight = __gb_torch._parameter(__gb_torch.ones(normalized_shape)) if elementwise_affine else None
                self.bias = __gb_torch._parameter(__gb_torch.zeros(normalized_shape)) if elementwise_affine and bias else None
            def forward(self, x):
                return __gb_F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
            def extra_repr(self):
                return f'{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.weight is not None}, bias={self.bias is not None}'

        class Dropout(__gb_Module):
            def __init__(self, p=0.5):
                super().__init__()
                self.p = p
            def forward(self, x):
                return __gb_F.dropout(x, self.p, self.training)
            def extra_repr(self):
                return f'p={self.p}, inplace=False'

        class ReLU(__gb_Module):
            def forward(self, x):
                return __gb_F.relu(x)

        class Tanh(__gb_Module):
            def forward(self, x):
                return __gb_torch.tanh(x)

        class Sigmoid(__gb_Module):
            def forward(self, x):
                return __gb_torch.sigmoid(x)

        class Sequential(__gb_Module):
            def __init__(self, *modules):
                super().__init__()
                for i, module in __gb_enumerate(modules):
                    __gb_setattr(self, __gb_str(i), module)
            def forward(self, x):
                for module in self.children():
                    x = module(x)
                return x
            def __getitem__(self, i):
                return self.children()[i]
            def __len__(self):
                return __gb_len(self.children())

        class ModuleList(__gb_Module):
            def __init__(self, modules=()):
                super().__init__()
                for module in modules:
                    self.append(module)
            def append(self, module):
                __gb_setattr(self, __gb_str(__gb_len(self.children())), module)
                return self
            def __getitem__(self, i):
                return self.children()[i]
            def __len__(self):
                return __gb_len(self.children())
            def __iter__(self):
                return __gb_iter(self.children())

        def _normal(tensor, mean=0.0, std=1.0):
            with __gb_torch.no_grad():
                return tensor.normal_(mean, std)
        def _uniform(tensor, a=0.0, b=1.0):
            with __gb_torch.no_grad():
                return tensor.uniform_(a, b)
        def _zeros(tensor):
            with __gb_torch.no_grad():
                return tensor.zero_()
        def _ones(tensor):
            with __gb_torch.no_grad():
                return tensor.fill_(1.0)
        """

    /// The names the source above defines, and what `torch.nn` (and `nn.init`) call them.
    static let torchNNClasses = [
        "Module", "Linear", "Embedding", "LayerNorm", "Dropout", "ReLU", "Tanh", "Sigmoid", "Sequential", "ModuleList"
    ]
    static let torchNNFunctions = [
        ("_parameter", "Parameter"), ("_normal", "normal_"), ("_uniform", "uniform_"), ("_zeros", "zeros_"),
        ("_ones", "ones_")
    ]

    /// `torch.nn`: the classes above, compiled into this interpreter, with `functional` and `init`.
    func torchNNModule(torch: Object, functional: Object) throws(NotebookError) -> Object {
        // Each class is defined under its own name (so that its __name__ is right), kept as
        // `__gb_<name>`, and the name given back to whatever the user had bound to it.
        let defined = Self.torchNNClasses + Self.torchNNFunctions.map(\.0)
        let saved = defined.map { globals[$0] }
        assign(torch, toGlobal: "__gb_torch")
        assign(functional, toGlobal: "__gb_F")
        assign(try importModule("math"), toGlobal: "__gb_math")
        for name in ["isinstance", "setattr", "iter", "len", "str", "type", "repr", "enumerate", "set", "id", "tuple"] {
            if let value = builtin(name) { assign(value, toGlobal: "__gb_" + name) }
        }
        // `__gb_Module` is needed by the classes after Module: bound as soon as Module is defined.
        let source = Self.torchNNSource.replacingOccurrences(
            of: "\ndef _parameter(", with: "\n__gb_Module = Module\ndef _parameter(")
        var compiler = Compiler(interpreter: self, interactive: false)
        let nodes = try compiler.compile(try Parser.parse(source))
        _ = try nodes.run(moduleFrame)
        var members: [String: Object] = ["functional": functional]
        for name in Self.torchNNClasses {
            guard let value = globals[name] else { continue }
            members[name] = value
            assign(value, toGlobal: "__gb_" + name)
        }
        var initMembers: [String: Object] = [:]
        for (defined, public_) in Self.torchNNFunctions {
            guard let value = globals[defined] else { continue }
            if public_ == "Parameter" { members[public_] = value } else { initMembers[public_] = value }
            assign(value, toGlobal: "__gb" + defined)
        }
        members["init"] = .object(ModuleObject(name: "torch.nn.init", members: initMembers))
        for (name, value) in zip(defined, saved) {
            globals[name] = value
        }
        return .object(ModuleObject(name: "torch.nn", members: members))
    }
}

/// `torch.optim.SGD`, `Adam`, `AdamW`: the Engine's optimizers over the parameters' tensors.
final class OptimizerObject: NotebookObject {
    static let typeName = "Optimizer"
    let optimizer: any Optimizer
    let tensors: [Tensor]
    let name: String

    init(name: String, optimizer: any Optimizer, tensors: [Tensor]) {
        self.name = name
        self.optimizer = optimizer
        self.tensors = tensors
    }

    var description: String { "\(name) (\(optimizer))" }
    var attributeNames: [String] { ["step", "zero_grad"] }
    func attribute(_ attribute: String) throws(NotebookError) -> Object {
        switch attribute {
        case "step":
            return .function(
                Function(name: "\(name).step") { [self] _ in
                    Tensor.withoutGrad { optimizer.step() }
                    return .none
                })
        case "zero_grad":
            return .function(
                Function(name: "\(name).zero_grad") { [self] (args) throws(NotebookError) in
                    let toNone = args.value(0, "set_to_none")?.isTruthy ?? true
                    for t in tensors { if toNone { t.clearGrad() } else { t.zeroGrad() } }
                    return .none
                })
        default:
            throw .python("AttributeError", "'\(name)' object has no attribute '\(attribute)'")
        }
    }

    /// `torch.optim.NAME(params, lr=…, …)`.
    static func make(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws(NotebookError) -> Object {
        guard let first = args.value(0, "params") else {
            throw .python("TypeError", "\(name)() needs the parameters to optimise (model.parameters())")
        }
        var tensors: [Tensor] = []
        for item in try interpreter.items(of: first) {
            guard case .object(let t as TensorObject) = item, let tensor = t.floatTensor else {
                throw .python(
                    "TypeError", "optimizer can only optimize Tensors, but one of the params is \(item.typeName)")
            }
            tensors.append(tensor)
        }
        guard !tensors.isEmpty else { throw .python("ValueError", "optimizer got an empty parameter list") }
        let lr = try args.number(1, "lr", default: 1e-3)
        guard lr.isFinite, lr >= 0 else { throw .python("ValueError", "Invalid learning rate: \(lr)") }
        let weightDecay = try args.number(.max, "weight_decay", default: name == "AdamW" ? 0.01 : 0)
        var betas = (0.9, 0.999)
        if case .tuple(let box)? = args.keywords.first(where: { $0.name == "betas" })?.value, box.items.count == 2 {
            betas = (try box.items[0].number(as: "betas"), try box.items[1].number(as: "betas"))
        }
        let eps = try args.number(.max, "eps", default: 1e-8)
        guard (0..<1).contains(betas.0), (0..<1).contains(betas.1) else {
            throw .python("ValueError", "Invalid beta parameters: (\(betas.0), \(betas.1)); each must be in [0, 1)")
        }
        guard eps >= 0, eps.isFinite else { throw .python("ValueError", "Invalid epsilon value: \(eps)") }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw .python("ValueError", "Invalid weight_decay value: \(weightDecay)")
        }
        let optimizer: any Optimizer
        switch name {
        case "SGD":
            let momentum = try args.number(.max, "momentum", default: 0)
            guard momentum >= 0, momentum.isFinite else {
                throw .python("ValueError", "Invalid momentum value: \(momentum)")
            }
            optimizer = SGD(tensors, learningRate: lr, momentum: momentum, weightDecay: weightDecay)
        case "Adam":
            optimizer = Adam(tensors, learningRate: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        default:
            optimizer = AdamW(tensors, learningRate: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        }
        return .object(OptimizerObject(name: name, optimizer: optimizer, tensors: tensors))
    }
}
