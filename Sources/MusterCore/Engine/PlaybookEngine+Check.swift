import Foundation
import MusterSSH

extension PlaybookEngine {
    /// `--check`: after the preflight, shows each stage's batches and what every task
    /// would do on each host (a copy says its size and whether the host already has the
    /// file), using only read-only commands.
    func planOnly(_ state: inout RunState, pool: SessionPool) async {
        for (stageIndex, stage) in plan.playbook.stages.enumerated() {
            let batches = BatchPlan.batches(state.active(plan.stageHosts[stageIndex]), serial: stage.serial)
            onEvent(.stageStarted(stage: stage.name, batches: batches))
            for (batchIndex, batch) in batches.enumerated() {
                if stop.isRequested { return }
                onEvent(.batchStarted(stage: stage.name, number: batchIndex + 1, of: batches.count, hosts: batch))
                let scopes = state.scopes
                let tasks = stage.tasks + stage.health
                let plans = await forEach(batch) { host in
                    var lines: [String] = []
                    for task in tasks { lines.append(await describe(task, host: host, scope: scopes[host]!, pool: pool)) }
                    return lines
                }
                // One line per task and outcome, with the hosts it is the same for.
                for (index, task) in tasks.enumerated() {
                    var hostsByLine: [(String, [String])] = []
                    for (host, lines) in zip(batch, plans) {
                        if let position = hostsByLine.firstIndex(where: { $0.0 == lines[index] }) {
                            hostsByLine[position].1.append(host)
                        } else {
                            hostsByLine.append((lines[index], [host]))
                        }
                    }
                    for (line, hosts) in hostsByLine {
                        onEvent(.planned(hosts: hosts, stage: stage.name, batch: batchIndex + 1, line: "\(task.name): \(line)"))
                    }
                }
            }
        }
    }

    private func describe(_ task: TaskSpec, host: String, scope: HostScope, pool: SessionPool) async -> String {
        let renderer = Renderer(scope: scope)
        // A condition that needs earlier results cannot be told yet; one that can, decides.
        if let when = task.when, let holds = try? renderer.condition(when), !holds {
            return "would be skipped (when: \(when.text))"
        }
        do {
            let once = task.runOnce ? " (once for the whole run)" : ""
            switch task.action {
            case .run(let action):
                let command = try renderer.shell(action.command, raw: action.raw)
                if let creates = action.creates {
                    let path = try renderer.text(creates)
                    let session = try await pool.session(for: host)
                    if try await session.exec("test -e " + ShellQuote.quote(path)).succeeded { return "would be skipped: \(path) exists" }
                }
                return "would run\(once): \(command)"
            case .copy(let action):
                let source = plan.controllerPath(try renderer.text(action.source))
                let destination = try renderer.text(action.destination)
                let file = try await files.file(source)
                let session = try await pool.session(for: host)
                let current = try await session.remoteFile(destination)
                let mode = Int(action.mode ?? 0o644)
                if let current, current.matches(file, mode: mode, owner: try action.owner.map(renderer.text)) {
                    return "would be skipped: \(destination) is up to date"
                }
                return "would copy \(source) (\(ByteCount.format(file.size))) to \(destination), mode \(String(mode, radix: 8))"
                    + (current == nil ? "" : " (replacing a different file)")
                    + (action.distribute.map { " through a relay per \($0.groupBy) where it can" } ?? "")
            case .fetch(let action):
                return "would fetch \(try renderer.text(action.source)) to \(plan.controllerPath(try renderer.text(action.destination)))\(once)"
            case .waitFor:
                return "would wait (up to its timeout)"
            case .expect(let action):
                return "would run interactively: \(try renderer.shell(action.command, raw: false)) (\(action.prompts.count) prompts)"
            case .service(let action):
                return "would make \(try renderer.text(action.name)) \(action.state.rawValue)"
            case .assert(let action):
                return "would check \(action.conditions.map(\.text).joined(separator: " and "))"
            }
        } catch let error as PlaybookError {
            return "depends on earlier results (\(error.message))"
        } catch {
            return "cannot tell: \(Self.message(error))"
        }
    }
}
