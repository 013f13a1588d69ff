// What runc 1.1 will act on, from runc's own code: each input line is "BUNDLE<TAB>CONFIG"; the
// config is decoded with encoding/json into runtime-spec's Go types (case-insensitive keys, last
// duplicate wins) and converted by libcontainer/specconv.CreateLibcontainerConfig in the bundle
// directory, as `runc create` does. One JSON line per input: the root filesystem and bind
// sources with symbolic links resolved (the kernel's walk of what specconv produced; a missing
// tail kept as written), the other mounts, namespaces, id mappings and the cgroups path; or
// {"refused": "..."} when runc would not start the container.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/opencontainers/runc/libcontainer/configs"
	"github.com/opencontainers/runc/libcontainer/specconv"
	"github.com/opencontainers/runtime-spec/specs-go"
)

type mount struct {
	Source      string `json:"source"`
	Destination string `json:"destination"`
	Bind        bool   `json:"bind"`
}

type reading struct {
	Refused     string      `json:"refused,omitempty"`
	Rootfs      string      `json:"rootfs"`
	Mounts      []mount     `json:"mounts"`
	Namespaces  [][2]string `json:"namespaces"`
	UIDMappings [][3]int64  `json:"uidMappings"`
	GIDMappings [][3]int64  `json:"gidMappings"`
	CgroupsPath string      `json:"cgroupsPath"`
}

// resolve follows symbolic links as the kernel would; the part that does not exist is kept.
func resolve(p string) string {
	rest := ""
	for cur := filepath.Clean(p); ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		if cur == "/" || cur == "." {
			return filepath.Join(cur, rest)
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = filepath.Dir(cur)
	}
}

var ociNames = map[configs.NamespaceType]string{
	configs.NEWNS: "mount", configs.NEWUTS: "uts", configs.NEWIPC: "ipc", configs.NEWUSER: "user",
	configs.NEWPID: "pid", configs.NEWNET: "network", configs.NEWCGROUP: "cgroup",
}

func maps(ms []configs.IDMap) [][3]int64 {
	out := [][3]int64{}
	for _, m := range ms {
		out = append(out, [3]int64{int64(m.ContainerID), int64(m.HostID), int64(m.Size)})
	}
	return out
}

func read(bundle, file string) reading {
	data, err := os.ReadFile(file)
	if err != nil {
		return reading{Refused: err.Error()}
	}
	var spec specs.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return reading{Refused: "decode: " + err.Error()}
	}
	if err := os.Chdir(bundle); err != nil {
		return reading{Refused: err.Error()}
	}
	cfg, err := specconv.CreateLibcontainerConfig(&specconv.CreateOpts{CgroupName: "oracle", Spec: &spec})
	if err != nil {
		return reading{Refused: "specconv: " + err.Error()}
	}
	r := reading{Rootfs: resolve(cfg.Rootfs), Mounts: []mount{}, Namespaces: [][2]string{},
		UIDMappings: maps(cfg.UidMappings), GIDMappings: maps(cfg.GidMappings)}
	for _, m := range cfg.Mounts {
		if m.Device == "bind" && m.Flags&unix.MS_BIND == 0 {
			// mount(2) of a "bind" filesystem without MS_BIND fails: ENODEV.
			return reading{Refused: "type bind without a bind option"}
		}
		src := m.Source
		if m.Device == "bind" {
			src = resolve(src)
		}
		r.Mounts = append(r.Mounts, mount{src, m.Destination, m.Device == "bind"})
	}
	for _, ns := range cfg.Namespaces {
		r.Namespaces = append(r.Namespaces, [2]string{ociNames[ns.Type], ns.Path})
	}
	if cfg.Cgroups != nil {
		r.CgroupsPath = cfg.Cgroups.Path
	}
	return r
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		parts := strings.SplitN(in.Text(), "\t", 2)
		if len(parts) != 2 {
			fmt.Fprintln(os.Stderr, "expected BUNDLE<TAB>CONFIG")
			os.Exit(2)
		}
		if err := out.Encode(read(parts[0], parts[1])); err != nil {
			os.Exit(1)
		}
	}
}
