"""A throw-away single-node Slurm cluster for the e2e.slurm test.

Everything lives under one temporary directory: a munge key and munged with its
own socket, a generated slurm.conf for this host on free ports above 1024,
slurmctld -D and slurmd -D as child processes. Works as root or as any user
(SlurmUser is whoever runs it). No systemd, no accounting: jobs are polled
with `scontrol show job`.

The settings that make Slurm 22.05 work in a container are the ones issue 10
lists: proctrack/linuxproc, task/none, no accounting or job-acct gathering,
batch_sched_delay=0 (else each dependent job waits ~3 s) and
kill_invalid_depend (else a merge whose array failed stays PENDING for ever).
"""
import os
import re
import shutil
import socket
import subprocess
import time

TOOLS = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "scontrol"]
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
            "BOOT_FAIL", "DEADLINE", "PREEMPTED"}


class ClusterError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlurmCluster(object):
    def __init__(self, root):
        self.root = root
        self.procs = []
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("SLURM_"):
                del self.env[k]  # the test may itself run inside a Slurm job
        self.conf = os.path.join(root, "slurm.conf")
        self.env["SLURM_CONF"] = self.conf
        self.log_dir = os.path.join(root, "log")

    # -- start and stop -------------------------------------------------------

    def start(self, timeout=30):
        missing = [t for t in TOOLS if shutil.which(t) is None]
        if missing:
            raise ClusterError("missing %s: run scripts/install-deps.sh --test" % ", ".join(missing))
        os.chmod(self.root, 0o755)  # munged wants its socket's path searchable by all
        key_dir, sock_dir = self.path("munge"), self.path("munge-run")
        os.chmod(key_dir, 0o700)
        os.chmod(sock_dir, 0o755)
        for d in ("state", "spool", "log"):
            self.path(d)
        self.socket = os.path.join(sock_dir, "munge.socket")
        key = os.path.join(key_dir, "munge.key")
        self._run(["mungekey", "--create", "--keyfile", key])
        self._spawn("munged", ["munged", "--foreground", "--key-file=" + key, "--socket=" + self.socket,
                               "--pid-file=" + os.path.join(key_dir, "munged.pid"),
                               "--log-file=" + os.path.join(self.log_dir, "munged.log"),
                               "--seed-file=" + os.path.join(key_dir, "munged.seed")])
        self._wait(lambda: os.path.exists(self.socket), timeout, "munged did not create its socket")
        self._write_conf()
        self._spawn("slurmctld", ["slurmctld", "-D", "-f", self.conf])
        self._spawn("slurmd", ["slurmd", "-D", "-f", self.conf])
        self._wait(self._node_idle, timeout, "the node did not become idle")

    def stop(self):
        for name, p, out in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            out.close()
        self.procs = []

    def logs(self):
        """The daemons' logs, for a failure message."""
        text = []
        for name in sorted(os.listdir(self.log_dir)):
            with open(os.path.join(self.log_dir, name), "rb") as f:
                body = f.read().decode("utf-8", "replace").splitlines()[-40:]
            text.append("==> %s <==\n%s" % (name, "\n".join(body)))
        return "\n".join(text)

    # -- jobs -----------------------------------------------------------------

    def job_states(self, job_id):
        """{task or job id: state} of a job or of every task of an array."""
        p = subprocess.run(["scontrol", "-o", "show", "job", str(job_id)], env=self.env,
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise ClusterError("scontrol show job %s: %s" % (job_id, p.stderr.strip()))
        states = {}
        for line in p.stdout.splitlines():
            jid = re.search(r"\bJobId=(\d+)", line)
            st = re.search(r"\bJobState=(\S+)", line)
            if jid and st:
                states[jid.group(1)] = st.group(1)
        return states

    def wait_for(self, job_ids, timeout):
        """Polls until every task of every job is in a terminal state; returns their states."""
        deadline = time.time() + timeout
        while True:
            states = {}
            for j in job_ids:
                states.update(self.job_states(j))
            if states and all(s in TERMINAL for s in states.values()):
                return states
            for name, p, _ in self.procs:
                if p.poll() is not None:
                    raise ClusterError("%s exited with status %d" % (name, p.returncode))
            if time.time() > deadline:
                raise ClusterError("jobs %s not done after %d s: %s" % (job_ids, timeout, states))
            time.sleep(0.2)

    # -- helpers --------------------------------------------------------------

    def path(self, name):
        p = os.path.join(self.root, name)
        os.makedirs(p, exist_ok=True)
        return p

    def _run(self, args):
        p = subprocess.run(args, env=self.env, capture_output=True, text=True)
        if p.returncode != 0:
            raise ClusterError("%s failed (%d): %s" % (args[0], p.returncode, p.stderr.strip()))
        return p.stdout

    def _spawn(self, name, args):
        out = open(os.path.join(self.log_dir, name + ".out"), "wb")
        p = subprocess.Popen(args, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
        self.procs.append((name, p, out))

    def _wait(self, ready, timeout, what):
        deadline = time.time() + timeout
        while not ready():
            for name, p, _ in self.procs:
                if p.poll() is not None:
                    raise ClusterError("%s exited with status %d during start-up" % (name, p.returncode))
            if time.time() > deadline:
                raise ClusterError(what + " within %d s" % timeout)
            time.sleep(0.2)

    def _node_idle(self):
        p = subprocess.run(["scontrol", "-o", "show", "node"], env=self.env, capture_output=True,
                           text=True)
        return p.returncode == 0 and re.search(r"\bState=IDLE\b", p.stdout) is not None

    def _write_conf(self):
        host = socket.gethostname().split(".")[0]
        node = self._run(["slurmd", "-C"]).splitlines()[0]  # NodeName=... CPUs=... RealMemory=...
        user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
        r = self.root
        conf = """\
ClusterName=catscane2e
SlurmctldHost={host}(127.0.0.1)
SlurmUser={user}
SlurmdUser={user}
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
AuthType=auth/munge
AuthInfo=socket={sock}
CredType=cred/munge
StateSaveLocation={r}/state
SlurmdSpoolDir={r}/spool
SlurmctldPidFile={r}/slurmctld.pid
SlurmdPidFile={r}/slurmd.pid
SlurmctldLogFile={r}/log/slurmctld.log
SlurmdLogFile={r}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
{node} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=e2e Nodes=ALL Default=YES MaxTime=INFINITE State=UP
""".format(host=host, user=user, ctld_port=free_port(), d_port=free_port(), sock=self.socket,
           r=r, node=node)
        with open(self.conf, "w") as f:
            f.write(conf)
