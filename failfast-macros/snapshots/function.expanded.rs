fn download_all(
    names: impl Iterator<Item = String>,
    bucket: &Bucket,
) -> Result<(), Error> {
    {
        let () = {
            let __failfast_outcome = match names {
                __failfast_input => {
                    #[allow(unused_imports)]
                    use ::failfast::parallel_loop::{
                        PulledByCaller as _, SharedByWorkers as _, SplitByIndex as _,
                    };
                    static __FAILFAST_SITE: ::failfast::__private::LoopSite = ::failfast::__private::LoopSite::new();
                    if false {
                        ::failfast::parallel_loop::shared_by_iterations((&bucket));
                        if let ::core::option::Option::Some(__failfast_returned) = ::failfast::parallel_loop::returned() {
                            if false {
                                return __failfast_returned;
                            }
                            let __failfast_checks = (&::failfast::parallel_loop::whole(
                                &__failfast_returned,
                            ))
                                .__failfast_checks();
                            let (__failfast_value, __failfast_failure) = (&::failfast::parallel_loop::exit_of(
                                &__failfast_returned,
                            ))
                                .__failfast_carried();
                            if let ::core::option::Option::Some(__failfast_value) = __failfast_value {
                                __failfast_checks.exit(&__failfast_value);
                            }
                            if let ::core::option::Option::Some(__failfast_failure) = __failfast_failure {
                                __failfast_checks.exit(&__failfast_failure);
                            }
                            ::failfast::parallel_loop::sent_back(&__failfast_returned);
                            return __failfast_returned;
                        }
                        if let ::core::option::Option::Some(__failfast_item) = ::failfast::parallel_loop::items_of(
                            &__failfast_input,
                        ) {
                            ::failfast::parallel_loop::sent_to_workers(&__failfast_item);
                        }
                    }
                    (&&&::failfast::parallel_loop::input(&__failfast_input))
                        .__failfast_path()
                        .thread_loop(
                            __failfast_input,
                            8,
                            &__FAILFAST_SITE,
                            |name| {
                                if ::failfast::__private::always() {
                                    if name.is_empty() {
                                        return ::failfast::__private::Flow::success();
                                    }
                                    bucket.download(&name)?;
                                }
                                ::failfast::__private::Flow::success()
                            },
                        )
                }
            };
            if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::parallel_loop::ExitsThrough::exit(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    Ok(())
}
