package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/node"
)

func (a *app) gridCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "grid",
		Short: "Offer compute, find it through the DHT, and run WebAssembly jobs verified by replication",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(a.gridOfferCmd(), a.gridOffersCmd(), a.gridRunCmd(), a.gridJobsCmd(), a.gridShowCmd())
	return cmd
}

// gridService returns the OpenGrid part of the API, from the daemon or
// over the vault.
func (a *app) gridService(cmd *cobra.Command, n need) (api.GridService, func(), error) {
	svc, done, err := a.service(cmd.Context(), n)
	if err != nil {
		return nil, nil, err
	}
	g, ok := svc.(api.GridService)
	if !ok {
		done()
		return nil, nil, fmt.Errorf("this daemon has no OpenGrid API: upgrade it")
	}
	return g, done, nil
}

func (a *app) gridOfferCmd() *cobra.Command {
	var req api.GridOfferRequest
	var memory, seconds, price string
	cmd := &cobra.Command{
		Use:   "offer [--memory 256MiB] [--max-seconds 30] [--price N --unit U] [--district D]... | --withdraw",
		Short: "Offer to run jobs while the daemon runs, announced in the DHT; --withdraw ends the offer",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !req.Withdraw {
				var err error
				if req.MemoryMiB, err = parseMiB("--memory", memory); err != nil {
					return err
				}
				if req.MaxSeconds, err = parseSeconds("--max-seconds", seconds); err != nil {
					return err
				}
				if req.Price, err = parseAmount("--price", price); err != nil {
					return err
				}
				if req.Price > 0 && req.Unit == "" {
					return usageErr("--price needs --unit, e.g. --unit credit")
				}
			}
			d, err := a.district(cmd, "")
			if err != nil {
				return err
			}
			req.District = d
			if len(req.Districts) > 0 {
				req.District = req.Districts[0]
			}
			g, done, err := a.gridService(cmd, needDaemon)
			if err != nil {
				return err
			}
			defer done()
			w, err := g.GridOffer(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&memory, "memory", "256MiB", "most memory a job may use, in MiB or GiB")
	fl.StringVar(&seconds, "max-seconds", "30", "most seconds a job may run")
	fl.StringVar(&price, "price", "0", "price per job, integer minor units of --unit")
	fl.StringVar(&req.Unit, "unit", "", "unit of the price, e.g. credit")
	fl.StringArrayVar(&req.Districts, "district", nil, "a district whose jobs the offer takes (repeatable; default: every district)")
	fl.BoolVar(&req.Withdraw, "withdraw", false, "end the offer: the daemon takes no more jobs")
	return cmd
}

func (a *app) gridOffersCmd() *cobra.Command {
	var district string
	cmd := &cobra.Command{
		Use:   "offers [--district D]",
		Short: "List the compute offers known here and found in the DHT, with each provider's record",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fetch := func(g api.GridService) ([]api.GridOfferRow, error) { return g.GridOffers(cmd.Context(), district) }
			return gridShow(a, cmd, fetch, func(rows []api.GridOfferRow) error {
				t := a.newTable("PROVIDER", "PRICE", "MEMORY", "SECONDS", "DISTRICTS", "VERIFIED", "DISAGREED")
				for _, r := range rows {
					ds := "all"
					if len(r.Districts) > 0 {
						ds = strings.Join(r.Districts, ",")
					}
					t.row(short(r.Provider), fmt.Sprintf("%d %s", r.Price, r.Unit), fmt.Sprintf("%d MiB", r.MemoryMiB),
						fmt.Sprint(r.MaxSeconds), ds, fmt.Sprint(r.Verified), fmt.Sprint(r.Disagreed))
				}
				return t.flush()
			})
		},
	}
	cmd.Flags().StringVar(&district, "district", "", "only offers that take jobs of this district")
	return cmd
}

func (a *app) gridRunCmd() *cobra.Command {
	var req api.GridRunRequest
	var input, out, memory, maxPrice string
	var replicas int
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "run MODULE.wasm [--input FILE|-] [--arg A]... [--replicas K] [--max-price N --unit U] [--timeout 30s] [--out FILE]",
		Short: "Run a WASI module on K providers and print its output once a majority agrees",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var err error
			if req.Module, err = a.readInput(ctx, args[0], node.MaxGridModule); err != nil {
				return err
			}
			if input != "" {
				if req.Input, err = a.readInput(ctx, input, node.MaxGridInput); err != nil {
					return err
				}
			}
			if replicas < 1 || replicas > 7 {
				return usageErr("--replicas %d: want 1 to 7", replicas)
			}
			req.Replicas = uint8(replicas)
			if timeout <= 0 || timeout > time.Hour {
				return usageErr("--timeout %v: want a duration up to 1h, e.g. 30s", timeout)
			}
			req.MaxSeconds = uint32(math.Ceil(timeout.Seconds()))
			if req.MemoryMiB, err = parseMiB("--memory", memory); err != nil {
				return err
			}
			if req.MaxPrice, err = parseAmount("--max-price", maxPrice); err != nil {
				return err
			}
			if req.District, err = a.district(cmd, req.District); err != nil {
				return err
			}
			if out != "" {
				if err := a.checkOutput(out); err != nil {
					return err
				}
			}
			g, done, err := a.gridService(cmd, needDaemon)
			if err != nil {
				return err
			}
			defer done()
			res, err := g.GridRun(ctx, req, func(p string) {
				if !a.json {
					fmt.Fprintln(a.stderr, "grid:", p)
				}
			})
			if err != nil {
				return err
			}
			output := res.Output
			res.Output = nil
			if res.Status == "verified" && out != "" {
				if err := writeAtomic(out, func(w io.Writer) error { _, err := w.Write(output); return err }); err != nil {
					return err
				}
			}
			if a.json {
				if err := printJSON(a.stdout, res); err != nil {
					return err
				}
			} else if res.Status == "verified" && out == "" {
				if _, err := a.stdout.Write(output); err != nil {
					return err
				}
			}
			if res.Status != "verified" {
				return &failure{code: 1, err: fmt.Errorf("job %s %s: %s", res.Job, res.Status, whyNotVerified(res)),
					remedy: "mycel grid show " + res.Job + " lists every result"}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&input, "input", "", "file the module reads on stdin (- for this command's stdin)")
	fl.StringArrayVar(&req.Args, "arg", nil, "an argument for the module (repeatable, in order)")
	fl.IntVar(&replicas, "replicas", 3, "providers that run the job; a strict majority of them must agree")
	fl.StringVar(&maxPrice, "max-price", "0", "the most this job pays each agreeing provider, minor units of --unit")
	fl.StringVar(&req.Unit, "unit", "credit", "unit of the price")
	fl.DurationVar(&timeout, "timeout", 30*time.Second, "how long each provider may run the job")
	fl.StringVar(&memory, "memory", "64MiB", "memory the job may use")
	fl.StringVar(&req.District, "district", "", "district of the job (default: the config's)")
	fl.IntVar(&req.MaxProviders, "max-providers", 0, "providers asked in all before the job is disputed (default 2·replicas+1)")
	fl.StringVar(&out, "out", "", "write the verified output to FILE instead of stdout")
	return cmd
}

// whyNotVerified says in words why a job has no majority.
func whyNotVerified(r api.GridRunResult) string {
	if len(r.Results) == 0 {
		return "no provider answered"
	}
	var errs []string
	for _, x := range r.Results {
		if x.Error != "" {
			errs = append(errs, short(x.Provider)+": "+x.Error)
		}
	}
	if len(errs) > 0 {
		return strings.Join(errs, "; ")
	}
	return fmt.Sprintf("%d results and no strict majority of %d agreeing", len(r.Results), r.Replicas)
}

func (a *app) gridJobsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "jobs",
		Short: "List the grid jobs this peer asked for or answered",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fetch := func(g api.GridService) ([]api.GridRunResult, error) { return g.GridJobs(cmd.Context()) }
			return gridShow(a, cmd, fetch, func(jobs []api.GridRunResult) error {
				t := a.newTable("JOB", "REQUESTER", "STATUS", "RESULTS", "AGREEING", "PAID")
				for _, j := range jobs {
					agree := 0
					for _, r := range j.Results {
						if r.Agrees {
							agree++
						}
					}
					t.row(j.Job, short(j.Requester), j.Status, fmt.Sprintf("%d of %d", len(j.Results), j.Replicas), fmt.Sprint(agree), fmt.Sprint(len(j.Paid)))
				}
				return t.flush()
			})
		},
	}
}

func (a *app) gridShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show JOB",
		Short: "Show a grid job: every result, the vote, and the receipts that paid",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fetch := func(g api.GridService) (api.GridRunResult, error) { return g.GridJob(cmd.Context(), args[0]) }
			return gridShow(a, cmd, fetch, func(j api.GridRunResult) error {
				fmt.Fprintf(a.stdout, "job:       %s\nrequester: %s\nstatus:    %s (%d replicas)\n", j.Job, j.Requester, j.Status, j.Replicas)
				if j.OutputCID != "" {
					fmt.Fprintf(a.stdout, "output:    %s\n", j.OutputCID)
				}
				t := a.newTable("PROVIDER", "OUTPUT", "EXIT", "AGREES", "MS", "NOTE")
				for _, r := range j.Results {
					t.row(short(r.Provider), short(r.OutputCID), fmt.Sprint(r.Exit), yesNo(r.Agrees), fmt.Sprint(r.DurationMS), r.Error+r.Why)
				}
				if err := t.flush(); err != nil {
					return err
				}
				for _, p := range j.Paid {
					fmt.Fprintf(a.stdout, "paid %s %d %s by %s\n", short(p.Provider), p.Amount, p.Unit, p.Receipt)
				}
				return nil
			})
		},
	}
}

// gridShow reads a grid listing, from the daemon or over the vault, and
// prints it as JSON or with table.
func gridShow[T any](a *app, cmd *cobra.Command, fetch func(api.GridService) (T, error), table func(T) error) error {
	g, done, err := a.gridService(cmd, needRead)
	if err != nil {
		return err
	}
	defer done()
	v, err := fetch(g)
	if err != nil {
		return err
	}
	if a.json {
		return printJSON(a.stdout, v)
	}
	return table(v)
}

// parseMiB reads a memory size: "256MiB", "1GiB", or a number of MiB.
func parseMiB(flag, s string) (uint32, error) {
	mult := uint64(1)
	num := s
	switch {
	case strings.HasSuffix(s, "GiB"):
		mult, num = 1024, strings.TrimSuffix(s, "GiB")
	case strings.HasSuffix(s, "MiB"):
		num = strings.TrimSuffix(s, "MiB")
	}
	n, err := strconv.ParseUint(num, 10, 32)
	if err != nil || n == 0 || n*mult > 1<<20 {
		return 0, usageErr("%s %q: want a size like 256MiB or 1GiB", flag, s)
	}
	return uint32(n * mult), nil
}

// parseSeconds reads a positive whole number of seconds.
func parseSeconds(flag, s string) (uint32, error) {
	n, err := strconv.ParseUint(strings.TrimSuffix(s, "s"), 10, 32)
	if err != nil || n == 0 {
		return 0, usageErr("%s %q: want a whole number of seconds, e.g. 30", flag, s)
	}
	return uint32(n), nil
}
