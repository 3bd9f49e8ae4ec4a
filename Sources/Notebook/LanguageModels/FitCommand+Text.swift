// `fit` for the text models of "Let's build GPT": gpt.py's loop, its estimates printed as the lecture
// prints them (`step 300: train loss 2.5015, val loss 2.5171`), a live progress line at a terminal.
import Engine
import Makemore
import NotebookLanguage

extension FitCommand {
    func runText(_ trainer: Trainer, in session: Session) throws(NotebookError) {
        let model = trainer.model
        if noDev || keepBest {
            throw NotebookError(
                "\(noDev ? "--no-dev" : "--keep-best") is for the names models; a text model estimates its train and val losses every --every steps (gpt.py's eval_interval)"
            )
        }
        var plan = try makePlan(trainer)
        let schedule: LearningRateSchedule
        schedule = try reporting { try plan.validated() }
        guard plan.batchSize >= 1 else {
            throw NotebookError(
                "a text model draws --batch runs of the text at random each step; use --batch 1 or more (the lecture's 32)"
            )
        }
        let settings = try optimizerSettings(trainer)
        let train = try session.textWindows(.train, for: model)
        let val = try session.textWindows(.dev, for: model)
        try session.checkStepMemory(plan.batchSize, data: train, for: model, budgetGB: memory ?? defaultStepMemoryGB)
        if trainer.useOptimizer(settings) {
            session.emit("optimizer: \(settings) (a fresh one: its state starts at zero)")
        }
        trainer.ratioInterval = Swift.max(1, plan.steps / 1_000)
        let iterations = plan.estimateIterations ?? 200
        let start = plan.completed
        let source = session.state.languageModels.corpus?.source ?? "the text"
        let estimates =
            plan.evaluateEvery.map { "losses estimated over \(iterations.grouped) batches every \(stepCount($0))" }
            ?? "no estimates"
        session.emit(
            "\(resume ? "resuming" : "training") \(model.configuration) on \(source), \(train.count.grouped) runs of \(model.blockSize) train characters: "
                + "\(resume ? "steps \(start.grouped) to \(plan.steps.grouped)" : stepCount(plan.steps)), batch \(plan.batchSize), \(trainer.optimizerSettings), lr \(schedule); \(estimates)"
        )
        var live = LiveProgress(
            session: session, total: plan.steps, start: start,
            dashboard: noLive ? nil : Self.dashboard(trainer, session))
        var lastEstimate: (step: Int, train: Float, val: Float)?
        let outcome = trainer.runText(
            &plan, schedule: schedule, train: train, val: val, estimateIterations: iterations,
            generator: session.generator,
            report: { event in
                switch event {
                case .step(let k, let loss, let rate):
                    live.update(step: k + 1, loss: loss, learningRate: rate)
                case .estimate(let k, let trainLoss, let valLoss):
                    live.clear()
                    session.emit("step \(k): train loss \(trainLoss.loss), val loss \(valLoss.loss)")
                    lastEstimate = (k, trainLoss, valLoss)
                }
            }, shouldStop: { Interrupt.isRequested })
        live.clear()
        switch outcome {
        case .stopped:
            session.emit(
                "interrupted (Ctrl-C) after \(plan.completed.grouped) of \(stepCount(plan.steps)): the model keeps what it learned; fit --resume finishes the run"
            )
        case .diverged(let step, let loss, _):
            session.warn(
                "training diverged at step \(step.grouped) (loss \(Double(loss).pythonDescription)): that step was not applied, and the model keeps its weights from before it; try a smaller --lr"
            )
        case .finished:
            let last =
                lastEstimate.map { " (last estimate, before step \($0.step.grouped): val loss \($0.val.loss))" } ?? ""
            session.emit(
                "after \(stepCount(trainer.stepsTaken))\(last); sample --tokens 500 writes text, eval estimates the losses now"
            )
        }
        live.summary(steps: plan.completed - start)
    }
}
