fn grid(rows: &[Row]) -> Result<(), Error> {
    {
        let () = {
            let __failfast_outcome = ff::__private::thread_loop(
                rows,
                4,
                |row| {
                    if ff::__private::always() {
                        if row.is_empty() {
                            return ff::__private::Flow::success();
                        }
                        {
                            let () = {
                                let __failfast_outcome = ff::__private::thread_loop(
                                    row.cells(),
                                    2,
                                    |cell| {
                                        if ff::__private::always() {
                                            for attempt in 0..3 {
                                                if cell.try_check(attempt)? {
                                                    break;
                                                }
                                            }
                                        }
                                        ff::__private::Flow::success()
                                    },
                                );
                                if let ::core::option::Option::Some(__failfast_outcome) = ff::__private::Flow::stop(
                                    __failfast_outcome,
                                ) {
                                    return __failfast_outcome;
                                }
                            };
                        }
                    }
                    ff::__private::Flow::success()
                },
            );
            if let ::core::option::Option::Some(__failfast_outcome) = ff::__private::Fallible::exit(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    Ok(())
}
